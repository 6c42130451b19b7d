// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IIdentityCheck} from "./IIdentityCheck.sol";
import {TransferRestrictions} from "./TransferRestrictions.sol";

/// @title A permissioned fractional token for one asset, in the shape of ERC-3643 (T-REX): every
/// transfer passes the compliance check (ERC-1404 codes), the agent mints, burns, freezes, pauses,
/// forces transfers and recovers wallets, and every holder's balance is checkpointed per block so
/// income is paid to the holders at a record date whatever moves after it.
contract AssetToken is ERC20, AccessControl, Pausable, TransferRestrictions {
    using Checkpoints for Checkpoints.Trace208;

    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");

    /// @notice The asset this token is a fraction of (the registry's id).
    bytes32 public immutable assetId;
    /// @notice The registry that links this token to its asset and mints its initial supply, once.
    address public immutable registry;
    bool public initialized;
    IIdentityCheck public identityCheck;
    /// @notice Most tokens one wallet may hold; 0: no limit.
    uint256 public holdingLimit;
    bool public accreditedOnly;
    mapping(address => bool) public isFrozen;
    mapping(address => uint256) public frozenTokens;

    mapping(address => Checkpoints.Trace208) private _balances;
    Checkpoints.Trace208 private _supply;
    address[] private _holders;
    mapping(address => bool) private _known;
    bool private _agentMove;

    error TransferRestricted(uint8 code);
    error RecordNotPast(uint256 timepoint, uint256 current);
    error InvalidAmount();

    event AddressFrozen(address indexed wallet, bool frozen, address indexed agent);
    event TokensFrozen(address indexed wallet, uint256 amount);
    event TokensUnfrozen(address indexed wallet, uint256 amount);
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount);
    event RecoverySuccess(address indexed lostWallet, address indexed newWallet);
    event HoldingLimitSet(uint256 limit);
    event IdentityCheckSet(address indexed source);

    constructor(
        string memory name_,
        string memory symbol_,
        bytes32 assetId_,
        IIdentityCheck identityCheck_,
        uint256 holdingLimit_,
        bool accreditedOnly_,
        address admin,
        address agent,
        address registry_
    ) ERC20(name_, symbol_) {
        assetId = assetId_;
        registry = registry_;
        identityCheck = identityCheck_;
        holdingLimit = holdingLimit_;
        accreditedOnly = accreditedOnly_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(AGENT_ROLE, agent);
    }

    // ---- ERC-1404 -------------------------------------------------------------------------

    /// @notice 0 when `from` may send `value` to `to` now; otherwise the reason's code.
    function detectTransferRestriction(address from, address to, uint256 value) public view returns (uint8) {
        if (paused()) return PAUSED;
        if (isFrozen[from]) return SENDER_FROZEN;
        if (isFrozen[to]) return RECIPIENT_FROZEN;
        if (value > balanceOf(from) || value > balanceOf(from) - frozenTokens[from]) return INSUFFICIENT_UNFROZEN;
        (bool fromVerified,) = identityCheck.eligibility(from);
        if (!fromVerified) return SENDER_NOT_VERIFIED;
        return _recipientRestriction(to, value);
    }

    function _recipientRestriction(address to, uint256 value) internal view returns (uint8) {
        (bool verified, bool accredited) = identityCheck.eligibility(to);
        if (!verified) return RECIPIENT_NOT_VERIFIED;
        if (accreditedOnly && !accredited) return RECIPIENT_NOT_ACCREDITED;
        if (holdingLimit != 0 && balanceOf(to) + value > holdingLimit) return HOLDING_LIMIT;
        return SUCCESS;
    }

    // ---- agent ----------------------------------------------------------------------------

    function mint(address to, uint256 amount) external onlyRole(AGENT_ROLE) {
        _checkedMint(to, amount);
    }

    /// @notice The initial supply, minted by the registry as it links the token to its asset (one
    /// transaction: a token is never linked without its supply).
    function initialMint(address to, uint256 amount) external {
        if (_msgSender() != registry || initialized) revert InvalidAmount();
        initialized = true;
        _checkedMint(to, amount);
    }

    function _checkedMint(address to, uint256 amount) private {
        uint8 code = isFrozen[to] ? RECIPIENT_FROZEN : _recipientRestriction(to, amount);
        if (code != SUCCESS) revert TransferRestricted(code);
        _mint(to, amount);
    }

    /// @notice Burns from a wallet, frozen tokens last (they are unfrozen as needed).
    function burn(address from, uint256 amount) external onlyRole(AGENT_ROLE) {
        _releaseFrozen(from, amount);
        _agentMove = true;
        _burn(from, amount);
        _agentMove = false;
    }

    function pause() external onlyRole(AGENT_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(AGENT_ROLE) {
        _unpause();
    }

    function setAddressFrozen(address wallet, bool frozen) external onlyRole(AGENT_ROLE) {
        isFrozen[wallet] = frozen;
        emit AddressFrozen(wallet, frozen, _msgSender());
    }

    function freezePartialTokens(address wallet, uint256 amount) external onlyRole(AGENT_ROLE) {
        if (amount == 0 || frozenTokens[wallet] + amount > balanceOf(wallet)) revert InvalidAmount();
        frozenTokens[wallet] += amount;
        emit TokensFrozen(wallet, amount);
    }

    function unfreezePartialTokens(address wallet, uint256 amount) external onlyRole(AGENT_ROLE) {
        if (amount == 0 || amount > frozenTokens[wallet]) revert InvalidAmount();
        frozenTokens[wallet] -= amount;
        emit TokensUnfrozen(wallet, amount);
    }

    /// @notice Moves tokens without the holder's consent (a court order, a dispute): past freezes
    /// and pause, but only to a verified wallet.
    function forcedTransfer(address from, address to, uint256 amount) external onlyRole(AGENT_ROLE) {
        (bool verified,) = identityCheck.eligibility(to);
        if (!verified) revert TransferRestricted(RECIPIENT_NOT_VERIFIED);
        _releaseFrozen(from, amount);
        _agentMove = true;
        _transfer(from, to, amount);
        _agentMove = false;
        emit ForcedTransfer(from, to, amount);
    }

    /// @notice Moves a lost wallet's whole balance, frozen tokens and freeze status to a new,
    /// verified wallet.
    function recoveryAddress(address lostWallet, address newWallet) external onlyRole(AGENT_ROLE) {
        (bool verified,) = identityCheck.eligibility(newWallet);
        if (!verified) revert TransferRestricted(RECIPIENT_NOT_VERIFIED);
        uint256 balance = balanceOf(lostWallet);
        if (balance == 0) revert InvalidAmount();
        uint256 frozen = frozenTokens[lostWallet];
        _agentMove = true;
        _transfer(lostWallet, newWallet, balance);
        _agentMove = false;
        if (frozen != 0) {
            frozenTokens[lostWallet] = 0;
            frozenTokens[newWallet] += frozen;
        }
        if (isFrozen[lostWallet]) isFrozen[newWallet] = true;
        emit RecoverySuccess(lostWallet, newWallet);
    }

    function setHoldingLimit(uint256 limit) external onlyRole(AGENT_ROLE) {
        holdingLimit = limit;
        emit HoldingLimitSet(limit);
    }

    function setIdentityCheck(IIdentityCheck source) external onlyRole(DEFAULT_ADMIN_ROLE) {
        identityCheck = source;
        emit IdentityCheckSet(address(source));
    }

    // ---- record-date checkpoints ------------------------------------------------------------

    /// @notice Balance at the end of block `timepoint` (a past block).
    function balanceOfAt(address account, uint256 timepoint) external view returns (uint256) {
        return _balances[account].upperLookupRecent(_past(timepoint));
    }

    /// @notice Supply at the end of block `timepoint` (a past block).
    function totalSupplyAt(uint256 timepoint) external view returns (uint256) {
        return _supply.upperLookupRecent(_past(timepoint));
    }

    /// @notice Every wallet that ever held the token, in first-held order.
    function holderCount() external view returns (uint256) {
        return _holders.length;
    }

    function holders(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 end = offset + limit > _holders.length ? _holders.length : offset + limit;
        if (offset >= end) return new address[](0);
        page = new address[](end - offset);
        for (uint256 i = offset; i < end; i++) page[i - offset] = _holders[i];
    }

    // ---- internals ------------------------------------------------------------------------

    function _past(uint256 timepoint) private view returns (uint48) {
        if (timepoint >= block.number) revert RecordNotPast(timepoint, block.number);
        return SafeCast.toUint48(timepoint);
    }

    function _releaseFrozen(address from, uint256 amount) private {
        uint256 free = balanceOf(from) - frozenTokens[from];
        if (amount > free) {
            uint256 release = amount - free;
            if (release > frozenTokens[from]) release = frozenTokens[from];
            frozenTokens[from] -= release;
            emit TokensUnfrozen(from, release);
        }
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0) && !_agentMove) {
            uint8 code = detectTransferRestriction(from, to, value);
            if (code != SUCCESS) revert TransferRestricted(code);
        }
        super._update(from, to, value);
        uint48 key = SafeCast.toUint48(block.number);
        if (from != address(0)) _balances[from].push(key, SafeCast.toUint208(balanceOf(from)));
        if (to != address(0)) {
            _balances[to].push(key, SafeCast.toUint208(balanceOf(to)));
            if (!_known[to]) {
                _known[to] = true;
                _holders.push(to);
            }
        }
        if (from == address(0) || to == address(0)) _supply.push(key, SafeCast.toUint208(totalSupply()));
    }
}
