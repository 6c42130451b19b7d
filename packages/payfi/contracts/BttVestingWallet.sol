// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/// @title A linear vesting wallet with an optional cliff: OpenZeppelin's VestingWalletCliff made
/// concrete. BTT core's `vestedAmount({ start, delay, cliff, duration })` maps to
/// `start + delay` as the wallet's start and `max(0, cliff - delay)` as its cliff.
contract BttVestingWallet is VestingWalletCliff {
    constructor(address beneficiary, uint64 startTimestamp, uint64 durationSeconds, uint64 cliffSeconds)
        VestingWallet(beneficiary, startTimestamp, durationSeconds)
        VestingWalletCliff(cliffSeconds)
    {}
}
