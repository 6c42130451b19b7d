// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

interface IBalanceCheckpoints {
    function balanceOfAt(address account, uint256 timepoint) external view returns (uint256);
    function totalSupplyAt(uint256 timepoint) external view returns (uint256);
}

/// @title Pays an asset's income to its holders at a record block, pro rata to their checkpointed
/// balances. The shares are computed off chain (largest remainder, exact to the unit) and checked
/// here: every holder at the record block is paid (their balances add up to the supply), each
/// share is the floor of its exact value or one more, and the shares add up to the total.
contract IncomeDistributor {
    using SafeERC20 for IERC20;

    mapping(bytes32 => bool) public distributed;

    error AlreadyDistributed(bytes32 id);
    error InvalidDistribution(bytes32 id, uint256 index);
    error HoldersMissing(bytes32 id, uint256 balances, uint256 supply);
    error SharesMismatch(bytes32 id, uint256 sum, uint256 total);

    event Distributed(bytes32 indexed id, address indexed token, address indexed currency, uint256 recordBlock, uint256 total, uint256 holders);

    /// @notice Pays `amounts` of `currency` from the caller to `holders` (ascending, each with a
    /// balance at `recordBlock`), once per `id`; reverts, paying nothing, when a check fails.
    function distribute(
        bytes32 id,
        IBalanceCheckpoints token,
        IERC20 currency,
        uint256 recordBlock,
        uint256 total,
        address[] calldata holders,
        uint256[] calldata amounts
    ) external {
        if (distributed[id]) revert AlreadyDistributed(id);
        if (holders.length == 0 || holders.length != amounts.length || total == 0) revert InvalidDistribution(id, 0);
        distributed[id] = true;
        uint256 supply = token.totalSupplyAt(recordBlock);
        (uint256 balances, uint256 sum) = _pay(Run(id, token, currency, recordBlock, total, supply), holders, amounts);
        if (balances != supply) revert HoldersMissing(id, balances, supply);
        if (sum != total) revert SharesMismatch(id, sum, total);
        emit Distributed(id, address(token), address(currency), recordBlock, total, holders.length);
    }

    struct Run {
        bytes32 id;
        IBalanceCheckpoints token;
        IERC20 currency;
        uint256 recordBlock;
        uint256 total;
        uint256 supply;
    }

    function _pay(Run memory r, address[] calldata holders, uint256[] calldata amounts)
        private
        returns (uint256 balances, uint256 sum)
    {
        address previous;
        for (uint256 i = 0; i < holders.length; i++) {
            address h = holders[i];
            uint256 balance = r.token.balanceOfAt(h, r.recordBlock);
            if (h <= previous || balance == 0 || !_fair(r.total, balance, r.supply, amounts[i])) {
                revert InvalidDistribution(r.id, i);
            }
            previous = h;
            balances += balance;
            sum += amounts[i];
            if (amounts[i] != 0) r.currency.safeTransferFrom(msg.sender, h, amounts[i]);
        }
    }

    function _fair(uint256 total, uint256 balance, uint256 supply, uint256 amount) private pure returns (bool) {
        uint256 exact = Math.mulDiv(total, balance, supply);
        return amount == exact || amount == exact + 1;
    }
}
