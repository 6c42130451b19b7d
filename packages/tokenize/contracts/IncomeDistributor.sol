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
/// share is the floor of its exact value or one more, and the shares add up to the total. A large
/// holder list is paid in batches under one id (ascending addresses across batches); the checks
/// over the whole list run with the final batch.
contract IncomeDistributor {
    using SafeERC20 for IERC20;

    struct Terms {
        IBalanceCheckpoints token;
        IERC20 currency;
        uint256 recordBlock;
        uint256 total;
    }

    /// @notice A distribution paid in batches, while it is open.
    struct Progress {
        bytes32 terms;
        address payer;
        address last;
        uint256 supply;
        uint256 balances;
        uint256 paid;
        uint256 holders;
    }

    mapping(bytes32 => bool) public distributed;
    mapping(bytes32 => Progress) public progress;

    error AlreadyDistributed(bytes32 id);
    error InvalidDistribution(bytes32 id, uint256 index);
    error HoldersMissing(bytes32 id, uint256 balances, uint256 supply);
    error SharesMismatch(bytes32 id, uint256 sum, uint256 total);

    event Distributed(bytes32 indexed id, address indexed token, address indexed currency, uint256 recordBlock, uint256 total, uint256 holders);
    event BatchPaid(bytes32 indexed id, uint256 holders, uint256 paid);

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
        if (progress[id].payer != address(0)) revert InvalidDistribution(id, 0);
        Terms memory t = Terms(token, currency, recordBlock, total);
        _step(id, t, _fresh(t), holders, amounts, true);
    }

    /// @notice One batch of a distribution under `id`: the same terms and payer for every batch,
    /// holders ascending after the previous batch's last; `final_` runs the whole-list checks.
    function distributeBatch(bytes32 id, Terms calldata terms, address[] calldata holders, uint256[] calldata amounts, bool final_)
        external
    {
        Terms memory t = terms;
        Progress memory p = progress[id];
        if (p.payer == address(0)) p = _fresh(t);
        else if (p.payer != msg.sender || p.terms != keccak256(abi.encode(t))) revert InvalidDistribution(id, 0);
        _step(id, t, p, holders, amounts, final_);
        if (final_) delete progress[id];
        else progress[id] = p;
    }

    function _fresh(Terms memory t) private view returns (Progress memory) {
        return Progress(keccak256(abi.encode(t)), msg.sender, address(0), t.token.totalSupplyAt(t.recordBlock), 0, 0, 0);
    }

    function _step(bytes32 id, Terms memory t, Progress memory p, address[] calldata holders, uint256[] calldata amounts, bool final_)
        private
    {
        if (distributed[id]) revert AlreadyDistributed(id);
        if (holders.length == 0 || holders.length != amounts.length || t.total == 0) revert InvalidDistribution(id, 0);
        Cursor memory c = _pay(id, t, Cursor(p.supply, p.last, 0, 0), holders, amounts);
        p.balances += c.balances;
        p.paid += c.sum;
        p.last = c.previous;
        p.holders += holders.length;
        if (p.paid > t.total) revert SharesMismatch(id, p.paid, t.total);
        emit BatchPaid(id, holders.length, c.sum);
        if (!final_) return;
        if (p.balances != p.supply) revert HoldersMissing(id, p.balances, p.supply);
        if (p.paid != t.total) revert SharesMismatch(id, p.paid, t.total);
        distributed[id] = true;
        emit Distributed(id, address(t.token), address(t.currency), t.recordBlock, t.total, p.holders);
    }

    struct Cursor {
        uint256 supply;
        address previous;
        uint256 balances;
        uint256 sum;
    }

    function _pay(bytes32 id, Terms memory t, Cursor memory c, address[] calldata holders, uint256[] calldata amounts)
        private
        returns (Cursor memory)
    {
        for (uint256 i = 0; i < holders.length; i++) {
            address h = holders[i];
            uint256 balance = t.token.balanceOfAt(h, t.recordBlock);
            if (h <= c.previous || balance == 0 || !_fair(t.total, balance, c.supply, amounts[i])) {
                revert InvalidDistribution(id, i);
            }
            c.previous = h;
            c.balances += balance;
            c.sum += amounts[i];
            if (amounts[i] != 0) t.currency.safeTransferFrom(msg.sender, h, amounts[i]);
        }
        return c;
    }

    function _fair(uint256 total, uint256 balance, uint256 supply, uint256 amount) private pure returns (bool) {
        uint256 exact = Math.mulDiv(total, balance, supply);
        return amount == exact || amount == exact + 1;
    }
}
