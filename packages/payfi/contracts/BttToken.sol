// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title BTT, the network's token: a fixed supply minted once, at deployment, to the holders of
/// the allocation table (vesting wallets, milestone vaults, pools), and never again.
/// @notice Burns go through ERC20Burnable; `burnRecorded` also emits the reason, as BTT core's
/// `recordBurn` records it.
contract BttToken is ERC20, ERC20Burnable {
    /// @dev The allocation does not add up to the fixed supply.
    error AllocationMismatch(uint256 allocated, uint256 supply);
    /// @dev Holders and amounts differ in length, or a holder is the zero address.
    error InvalidAllocation();

    /// @notice The fixed supply, in base units (18 decimals).
    uint256 public immutable fixedSupply;

    event BurnRecorded(address indexed from, uint256 amount, bytes32 indexed reason);

    constructor(string memory name_, string memory symbol_, uint256 supply, address[] memory holders, uint256[] memory amounts)
        ERC20(name_, symbol_)
    {
        if (holders.length != amounts.length || holders.length == 0) revert InvalidAllocation();
        uint256 allocated;
        for (uint256 i = 0; i < holders.length; i++) {
            if (holders[i] == address(0)) revert InvalidAllocation();
            allocated += amounts[i];
            _mint(holders[i], amounts[i]);
        }
        if (allocated != supply) revert AllocationMismatch(allocated, supply);
        fixedSupply = supply;
    }

    /// @notice Burns `amount` of the caller's tokens and records why (e.g. keccak256("payfi-fee")).
    function burnRecorded(uint256 amount, bytes32 reason) external {
        _burn(_msgSender(), amount);
        emit BurnRecorded(_msgSender(), amount, reason);
    }
}
