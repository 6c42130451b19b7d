// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title Atomic settlement of secondary trades matched off chain: the asset tokens go from the
/// seller to the buyer (through the token's compliance check) and the settlement currency from the
/// buyer to the seller, the trading fee to the fee recipient and the burn burned, in one
/// transaction, or nothing moves. Both parties sign the trade's terms (EIP-712), fee and expiry
/// included, so no one else can change them.
contract SecondaryMarket is AccessControl, EIP712 {
    using SafeERC20 for IERC20;

    struct Trade {
        bytes32 id;
        address token;
        address seller;
        address buyer;
        uint256 amount;
        uint256 price;
        uint256 fee;
        uint256 burn;
        uint64 expiry;
    }

    bytes32 public constant TRADE_TYPEHASH = keccak256(
        "Trade(bytes32 id,address token,address seller,address buyer,uint256 amount,uint256 price,uint256 fee,uint256 burn,uint64 expiry)"
    );

    /// @notice The currency trades settle in (ERC-20 with ERC20Burnable's burn).
    ERC20Burnable public immutable currency;
    address public feeRecipient;
    uint256 public totalBurned;
    uint256 public burnCount;
    mapping(bytes32 => bool) public settled;

    error QuoteExpired(bytes32 id, uint64 expiry, uint256 now_);
    error AlreadySettled(bytes32 id);
    error InvalidTerms(bytes32 id);
    error BadSignature(bytes32 id, address signer);

    event TradeSettled(
        bytes32 indexed id, address indexed token, address indexed seller, address buyer, uint256 amount, uint256 price, uint256 fee, uint256 burn
    );
    event FeeRecipientSet(address recipient);

    constructor(ERC20Burnable currency_, address feeRecipient_, address admin) EIP712("BTT SecondaryMarket", "1") {
        currency = currency_;
        feeRecipient = feeRecipient_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setFeeRecipient(address recipient) external onlyRole(DEFAULT_ADMIN_ROLE) {
        feeRecipient = recipient;
        emit FeeRecipientSet(recipient);
    }

    function tradeHash(Trade calldata t) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(TRADE_TYPEHASH, t.id, t.token, t.seller, t.buyer, t.amount, t.price, t.fee, t.burn, t.expiry))
        );
    }

    /// @notice Settles a trade both parties signed; anyone may submit it, once, before its expiry.
    function settle(Trade calldata t, bytes calldata sellerSignature, bytes calldata buyerSignature) external {
        if (block.timestamp > t.expiry) revert QuoteExpired(t.id, t.expiry, block.timestamp);
        if (settled[t.id]) revert AlreadySettled(t.id);
        if (t.amount == 0 || t.price == 0 || t.fee > t.price || t.burn > t.fee || t.seller == t.buyer) revert InvalidTerms(t.id);
        bytes32 digest = tradeHash(t);
        if (!SignatureChecker.isValidSignatureNow(t.seller, digest, sellerSignature)) revert BadSignature(t.id, t.seller);
        if (!SignatureChecker.isValidSignatureNow(t.buyer, digest, buyerSignature)) revert BadSignature(t.id, t.buyer);
        settled[t.id] = true;
        IERC20(t.token).safeTransferFrom(t.seller, t.buyer, t.amount);
        IERC20 c = IERC20(address(currency));
        c.safeTransferFrom(t.buyer, t.seller, t.price - t.fee);
        if (t.fee != 0) {
            c.safeTransferFrom(t.buyer, address(this), t.fee);
            if (t.burn != 0) {
                currency.burn(t.burn);
                totalBurned += t.burn;
                burnCount += 1;
            }
            if (t.fee != t.burn) c.safeTransfer(feeRecipient, t.fee - t.burn);
        }
        emit TradeSettled(t.id, t.token, t.seller, t.buyer, t.amount, t.price, t.fee, t.burn);
    }
}
