// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ERC-1404 restriction codes and their messages. The TypeScript library keeps the same
/// table (src/restrictions.ts); a test compares both, code by code.
abstract contract TransferRestrictions {
    uint8 internal constant SUCCESS = 0;
    uint8 internal constant PAUSED = 1;
    uint8 internal constant SENDER_FROZEN = 2;
    uint8 internal constant RECIPIENT_FROZEN = 3;
    uint8 internal constant INSUFFICIENT_UNFROZEN = 4;
    uint8 internal constant SENDER_NOT_VERIFIED = 5;
    uint8 internal constant RECIPIENT_NOT_VERIFIED = 6;
    uint8 internal constant RECIPIENT_NOT_ACCREDITED = 7;
    uint8 internal constant HOLDING_LIMIT = 8;

    /// @notice The human message for a restriction code.
    function messageForTransferRestriction(uint8 code) public pure returns (string memory) {
        if (code == SUCCESS) return "No restriction.";
        if (code == PAUSED) return "Transfers of this token are paused.";
        if (code == SENDER_FROZEN) return "The sender's wallet is frozen.";
        if (code == RECIPIENT_FROZEN) return "The recipient's wallet is frozen.";
        if (code == INSUFFICIENT_UNFROZEN) return "The amount is more than the sender's unfrozen balance.";
        if (code == SENDER_NOT_VERIFIED) return "The sender has no valid identity claim (never verified, removed or expired).";
        if (code == RECIPIENT_NOT_VERIFIED) return "The recipient has no valid identity claim (never verified, removed or expired).";
        if (code == RECIPIENT_NOT_ACCREDITED) return "The recipient is not an accredited investor.";
        if (code == HOLDING_LIMIT) return "The transfer would take the recipient above the holding limit.";
        return "Unknown restriction code.";
    }
}
