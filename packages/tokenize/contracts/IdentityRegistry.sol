// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IIdentityCheck} from "./IIdentityCheck.sol";

/// @title Investor eligibility: verified, country (ISO 3166 numeric), accreditation, and an expiry
/// after which the claim no longer passes (a lapsed accreditation blocks transfers).
contract IdentityRegistry is AccessControl, IIdentityCheck {
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    struct Identity {
        uint16 country;
        bool accredited;
        uint64 expiresAt;
    }

    mapping(address => Identity) private _identities;

    /// @dev The zero address, country 0, or an expiry not in the future.
    error InvalidIdentity(address investor);

    event IdentityRegistered(address indexed investor, uint16 country, bool accredited, uint64 expiresAt);
    event IdentityRemoved(address indexed investor);

    constructor(address admin, address agent) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(AGENT_ROLE, agent);
    }

    /// @notice Records (or renews) an investor's claim.
    function registerIdentity(address investor, uint16 country, bool accredited, uint64 expiresAt)
        external
        onlyRole(AGENT_ROLE)
    {
        if (investor == address(0) || country == 0 || expiresAt <= block.timestamp) revert InvalidIdentity(investor);
        _identities[investor] = Identity(country, accredited, expiresAt);
        emit IdentityRegistered(investor, country, accredited, expiresAt);
    }

    /// @notice Withdraws an investor's claim.
    function removeIdentity(address investor) external onlyRole(AGENT_ROLE) {
        delete _identities[investor];
        emit IdentityRemoved(investor);
    }

    /// @notice The stored claim (country 0: none).
    function identityOf(address investor) external view returns (uint16 country, bool accredited, uint64 expiresAt) {
        Identity memory i = _identities[investor];
        return (i.country, i.accredited, i.expiresAt);
    }

    /// @inheritdoc IIdentityCheck
    function eligibility(address investor) external view returns (bool verified, bool accredited) {
        Identity memory i = _identities[investor];
        verified = i.country != 0 && i.expiresAt > block.timestamp;
        accredited = verified && i.accredited;
    }
}
