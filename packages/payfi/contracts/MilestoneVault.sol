// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title Releases an allocation in tranches, each once a named attester has attested its
/// milestone and not before its date: BTT core's `milestoneVestedAmount` on chain.
contract MilestoneVault {
    using SafeERC20 for IERC20;

    struct Tranche {
        uint256 amount;
        uint64 notBefore;
        bool attested;
        bool released;
    }

    error NotAttester();
    error UnknownTranche(uint256 index);
    error NotYet(uint256 index, uint64 notBefore);
    error NotAttested(uint256 index);
    error AlreadyReleased(uint256 index);
    error InvalidTranches();

    event Attested(uint256 indexed index);
    event Released(uint256 indexed index, address indexed beneficiary, uint256 amount);

    IERC20 public immutable token;
    address public immutable beneficiary;
    address public immutable attester;
    Tranche[] private _tranches;

    constructor(IERC20 token_, address beneficiary_, address attester_, uint256[] memory amounts, uint64[] memory notBefore) {
        if (amounts.length != notBefore.length || amounts.length == 0) revert InvalidTranches();
        if (beneficiary_ == address(0) || attester_ == address(0)) revert InvalidTranches();
        token = token_;
        beneficiary = beneficiary_;
        attester = attester_;
        for (uint256 i = 0; i < amounts.length; i++) {
            _tranches.push(Tranche(amounts[i], notBefore[i], false, false));
        }
    }

    function trancheCount() external view returns (uint256) {
        return _tranches.length;
    }

    function tranche(uint256 index) external view returns (Tranche memory) {
        if (index >= _tranches.length) revert UnknownTranche(index);
        return _tranches[index];
    }

    /// @notice The amount released or releasable at `timestamp`: attested tranches whose date has come.
    function vestedAmount(uint64 timestamp) public view returns (uint256 total) {
        for (uint256 i = 0; i < _tranches.length; i++) {
            Tranche storage t = _tranches[i];
            if (t.attested && timestamp >= t.notBefore) total += t.amount;
        }
    }

    function attest(uint256 index) external {
        if (msg.sender != attester) revert NotAttester();
        if (index >= _tranches.length) revert UnknownTranche(index);
        _tranches[index].attested = true;
        emit Attested(index);
    }

    function release(uint256 index) external {
        if (index >= _tranches.length) revert UnknownTranche(index);
        Tranche storage t = _tranches[index];
        if (t.released) revert AlreadyReleased(index);
        if (!t.attested) revert NotAttested(index);
        if (block.timestamp < t.notBefore) revert NotYet(index, t.notBefore);
        t.released = true;
        token.safeTransfer(beneficiary, t.amount);
        emit Released(index, beneficiary, t.amount);
    }
}
