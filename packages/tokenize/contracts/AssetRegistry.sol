// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

interface IInitialMint {
    function assetId() external view returns (bytes32);
    function initialMint(address to, uint256 amount) external;
}

/// @title Registry of tokenized assets: type, owner, tier, token, documents (ERC-1643 style: the
/// files stay off chain, their hashes are here) and the valuation history.
contract AssetRegistry is AccessControl {
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @dev 0 equipment, 1 property, 2 intellectual property, 3 service rights.
    struct Asset {
        uint8 assetType;
        address owner;
        address token;
        bytes32 tier;
        string currency;
    }

    struct Valuation {
        uint256 value;
        uint64 date;
        string method;
        string appraiser;
    }

    struct Document {
        string uri;
        bytes32 documentHash;
        uint256 lastModified;
    }

    mapping(bytes32 => Asset) private _assets;
    mapping(bytes32 => Valuation[]) private _valuations;
    mapping(bytes32 => mapping(bytes32 => Document)) private _documents;
    mapping(bytes32 => bytes32[]) private _documentNames;
    bytes32[] private _ids;

    error AssetExists(bytes32 assetId);
    error AssetNotFound(bytes32 assetId);
    error InvalidAsset(bytes32 assetId);
    error InvalidValuation(bytes32 assetId);
    error InvalidDocument(bytes32 assetId, bytes32 name);
    error TokenAlreadySet(bytes32 assetId);
    error RevaluationConflict(bytes32 assetId, uint256 index, uint256 count);

    event AssetRegistered(bytes32 indexed assetId, uint8 assetType, address indexed owner, bytes32 tier);
    event AssetTokenSet(bytes32 indexed assetId, address indexed token);
    event Revalued(bytes32 indexed assetId, uint256 value, uint64 date, uint256 index);
    /// @dev ERC-1643's events, with the asset id added.
    event DocumentUpdated(bytes32 indexed assetId, bytes32 indexed name, string uri, bytes32 documentHash);
    event DocumentRemoved(bytes32 indexed assetId, bytes32 indexed name, string uri, bytes32 documentHash);

    constructor(address admin, address registrar) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, registrar);
    }

    struct DocumentInput {
        bytes32 name;
        string uri;
        bytes32 documentHash;
    }

    /// @notice Registers an asset with its first valuation and its documents, all or nothing.
    function register(bytes32 assetId, Asset calldata asset, Valuation calldata valuation, DocumentInput[] calldata documents)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        if (_assets[assetId].owner != address(0)) revert AssetExists(assetId);
        if (assetId == bytes32(0) || asset.owner == address(0) || asset.assetType > 3 || asset.token != address(0)) {
            revert InvalidAsset(assetId);
        }
        _assets[assetId] = asset;
        _ids.push(assetId);
        emit AssetRegistered(assetId, asset.assetType, asset.owner, asset.tier);
        _revalue(assetId, valuation);
        for (uint256 i = 0; i < documents.length; i++) {
            _setDocument(assetId, documents[i].name, documents[i].uri, documents[i].documentHash);
        }
    }

    /// @notice Links the asset's token and mints its supply to the owner, in one transaction.
    function setToken(bytes32 assetId, address token, uint256 supply) external onlyRole(REGISTRAR_ROLE) {
        Asset storage a = _existing(assetId);
        if (a.token != address(0)) revert TokenAlreadySet(assetId);
        if (token == address(0) || supply == 0 || IInitialMint(token).assetId() != assetId) revert InvalidAsset(assetId);
        a.token = token;
        IInitialMint(token).initialMint(a.owner, supply);
        emit AssetTokenSet(assetId, token);
    }

    /// @notice Appends a valuation: positive, dated no later than now and no earlier than the last,
    /// as entry `index` of the history (so the same revaluation sent twice is recorded once).
    function revalue(bytes32 assetId, Valuation calldata valuation, uint256 index) external onlyRole(REGISTRAR_ROLE) {
        _existing(assetId);
        if (_valuations[assetId].length != index) revert RevaluationConflict(assetId, index, _valuations[assetId].length);
        _revalue(assetId, valuation);
    }

    function setDocument(bytes32 assetId, bytes32 name, string calldata uri, bytes32 documentHash)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        _existing(assetId);
        _setDocument(assetId, name, uri, documentHash);
    }

    function _setDocument(bytes32 assetId, bytes32 name, string calldata uri, bytes32 documentHash) private {
        if (name == bytes32(0) || documentHash == bytes32(0) || bytes(uri).length == 0) {
            revert InvalidDocument(assetId, name);
        }
        if (_documents[assetId][name].lastModified == 0) _documentNames[assetId].push(name);
        _documents[assetId][name] = Document(uri, documentHash, block.timestamp);
        emit DocumentUpdated(assetId, name, uri, documentHash);
    }

    function removeDocument(bytes32 assetId, bytes32 name) external onlyRole(REGISTRAR_ROLE) {
        Document memory d = _documents[assetId][name];
        if (d.lastModified == 0) revert InvalidDocument(assetId, name);
        delete _documents[assetId][name];
        bytes32[] storage names = _documentNames[assetId];
        for (uint256 i = 0; i < names.length; i++) {
            if (names[i] == name) {
                names[i] = names[names.length - 1];
                names.pop();
                break;
            }
        }
        emit DocumentRemoved(assetId, name, d.uri, d.documentHash);
    }

    function getDocument(bytes32 assetId, bytes32 name)
        external
        view
        returns (string memory uri, bytes32 documentHash, uint256 lastModified)
    {
        Document memory d = _documents[assetId][name];
        return (d.uri, d.documentHash, d.lastModified);
    }

    function getAllDocuments(bytes32 assetId) external view returns (bytes32[] memory) {
        return _documentNames[assetId];
    }

    function asset(bytes32 assetId) external view returns (Asset memory) {
        return _assets[assetId];
    }

    function valuationCount(bytes32 assetId) external view returns (uint256) {
        return _valuations[assetId].length;
    }

    function valuation(bytes32 assetId, uint256 index) external view returns (Valuation memory) {
        return _valuations[assetId][index];
    }

    function assetCount() external view returns (uint256) {
        return _ids.length;
    }

    function assetIdAt(uint256 index) external view returns (bytes32) {
        return _ids[index];
    }

    function _existing(bytes32 assetId) private view returns (Asset storage a) {
        a = _assets[assetId];
        if (a.owner == address(0)) revert AssetNotFound(assetId);
    }

    function _revalue(bytes32 assetId, Valuation calldata v) private {
        Valuation[] storage history = _valuations[assetId];
        uint64 last = history.length == 0 ? 0 : history[history.length - 1].date;
        if (v.value == 0 || v.date > block.timestamp || v.date < last || bytes(v.method).length == 0 || bytes(v.appraiser).length == 0) {
            revert InvalidValuation(assetId);
        }
        history.push(v);
        emit Revalued(assetId, v.value, v.date, history.length - 1);
    }
}
