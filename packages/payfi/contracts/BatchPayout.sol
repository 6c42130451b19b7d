// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Pays many recipients in one transaction. Each batch has an id that can be paid once:
/// a settlement run that does not know whether its transaction landed can send the same batch
/// again and the chain refuses the second, so a payout is never made twice.
contract BatchPayout is Ownable {
    using SafeERC20 for IERC20;

    error BatchAlreadyPaid(bytes32 batchId);
    error LengthMismatch();

    event BatchPaid(bytes32 indexed batchId, address indexed token, uint256 total, uint256 count);

    /// @notice Whether a batch id has been paid.
    mapping(bytes32 => bool) public paid;

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Pulls the batch's total from the caller once, then pays each recipient.
    function payout(bytes32 batchId, IERC20 token, address[] calldata to, uint256[] calldata amounts)
        external
        onlyOwner
    {
        if (to.length != amounts.length) revert LengthMismatch();
        if (paid[batchId]) revert BatchAlreadyPaid(batchId);
        paid[batchId] = true;
        uint256 total;
        for (uint256 i = 0; i < amounts.length; i++) total += amounts[i];
        token.safeTransferFrom(msg.sender, address(this), total);
        for (uint256 i = 0; i < to.length; i++) token.safeTransfer(to[i], amounts[i]);
        emit BatchPaid(batchId, address(token), total, to.length);
    }
}
