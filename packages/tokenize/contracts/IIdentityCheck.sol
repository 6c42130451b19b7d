// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The eligibility source a permissioned token asks before every transfer. The built-in
/// IdentityRegistry implements it; another attestation source (an ONCHAINID claim checker, a
/// verifiable-credential bridge) can replace it without touching the token.
interface IIdentityCheck {
    /// @notice Whether `investor` holds a claim that has not expired, and whether it says accredited.
    function eligibility(address investor) external view returns (bool verified, bool accredited);
}
