// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/base/Strings.sol";

/// @title ECDSA
/// @notice Malleability-safe secp256k1 signature recovery (65-byte signatures as bytes; v/r/s and EIP-2098 compact r/vs as fields) and EIP-191 / EIP-712 digests.
/// @dev Only canonical signatures are accepted: `s` in the lower half of the curve order and `v` exactly 27 or 28
///      (0/1 are not normalised). `recover` never returns address(0): every failure reverts with a custom error;
///      `tryRecover` reports the same failures as a `RecoverError` instead of reverting.
///      The `bytes` overloads take exactly one encoding, the 65-byte r ‖ s ‖ v: a 64-byte EIP-2098 compact
///      signature passed as bytes is rejected for its length, so that every canonical signature has a single
///      byte string (signature bytes used as a "used" marker cannot be replayed in another encoding; see
///      GHSA-4h98-2769-gh6h). Compact signatures are accepted only through the explicit (r, vs) overloads.
library ECDSA {
    /// @notice Why a recovery failed (NoError on success).
    enum RecoverError {
        NoError,
        InvalidSignature,
        InvalidSignatureLength,
        InvalidSignatureS,
        InvalidSignatureV
    }

    /// @notice The signature does not recover to any address (ecrecover failed, e.g. r = 0 or off the curve).
    error ECDSAInvalidSignature();
    /// @notice A `bytes` signature is not exactly 65 bytes (r, s, v); 64-byte EIP-2098 compact ones included.
    error ECDSAInvalidSignatureLength(uint256 length);
    /// @notice `s` is in the upper half of the curve order (the malleable twin of a valid signature).
    error ECDSAInvalidSignatureS(bytes32 s);
    /// @notice `v` is neither 27 nor 28.
    error ECDSAInvalidSignatureV(uint8 v);

    /// @dev secp256k1n / 2: the largest `s` of a canonical signature (EIP-2).
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    // ---------------------------------------------------------------- recovery (non-reverting)

    /// @notice The signer of `hash` from a 65-byte (r ‖ s ‖ v) signature, or address(0) with the reason and a
    ///         detail (the length, `s` or `v`) on failure. Any other length, 64 included, is InvalidSignatureLength:
    ///         pass an EIP-2098 compact signature as its (r, vs) fields instead.
    function tryRecover(bytes32 hash, bytes memory signature)
        internal
        pure
        returns (address signer, RecoverError err, bytes32 detail)
    {
        uint256 length = signature.length;
        if (length != 65) return (address(0), RecoverError.InvalidSignatureLength, bytes32(length));
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        return tryRecover(hash, v, r, s);
    }

    /// @notice Like tryRecover(hash, signature) for an EIP-2098 compact signature given as `r` and `vs`
    ///         (the top bit of `vs` is v - 27, the other 255 bits are s); the only way to recover a compact signature.
    function tryRecover(bytes32 hash, bytes32 r, bytes32 vs)
        internal
        pure
        returns (address signer, RecoverError err, bytes32 detail)
    {
        uint256 packed = uint256(vs);
        bytes32 s = bytes32(packed & ((uint256(1) << 255) - 1));
        // packed >> 255 is 0 or 1, so v is 27 or 28 and the cast is exact.
        uint8 v = uint8((packed >> 255) + 27);
        return tryRecover(hash, v, r, s);
    }

    /// @notice Like tryRecover(hash, signature) for a signature given as its `v`, `r` and `s` fields.
    function tryRecover(bytes32 hash, uint8 v, bytes32 r, bytes32 s)
        internal
        pure
        returns (address signer, RecoverError err, bytes32 detail)
    {
        if (uint256(s) > HALF_ORDER) return (address(0), RecoverError.InvalidSignatureS, s);
        if (v != 27 && v != 28) return (address(0), RecoverError.InvalidSignatureV, bytes32(uint256(v)));
        signer = ecrecover(hash, v, r, s);
        if (signer == address(0)) return (address(0), RecoverError.InvalidSignature, bytes32(0));
        return (signer, RecoverError.NoError, bytes32(0));
    }

    // ---------------------------------------------------------------- recovery (reverting)

    /// @notice The signer of `hash` from a 65-byte (r ‖ s ‖ v) signature; reverts on a malformed (any other length,
    ///         64-byte compact included), non-canonical or invalid signature (never returns address(0)).
    function recover(bytes32 hash, bytes memory signature) internal pure returns (address) {
        (address signer, RecoverError err, bytes32 detail) = tryRecover(hash, signature);
        _throwError(err, detail);
        return signer;
    }

    /// @notice The signer of `hash` from an EIP-2098 compact signature (`r`, `vs`); reverts like recover(hash, signature).
    function recover(bytes32 hash, bytes32 r, bytes32 vs) internal pure returns (address) {
        (address signer, RecoverError err, bytes32 detail) = tryRecover(hash, r, vs);
        _throwError(err, detail);
        return signer;
    }

    /// @notice The signer of `hash` from the fields `v`, `r`, `s`; reverts like recover(hash, signature).
    function recover(bytes32 hash, uint8 v, bytes32 r, bytes32 s) internal pure returns (address) {
        (address signer, RecoverError err, bytes32 detail) = tryRecover(hash, v, r, s);
        _throwError(err, detail);
        return signer;
    }

    /// @notice Reverts with the custom error matching `err` (nothing for NoError); `detail` as from tryRecover.
    function throwError(RecoverError err, bytes32 detail) internal pure {
        _throwError(err, detail);
    }

    function _throwError(RecoverError err, bytes32 detail) private pure {
        if (err == RecoverError.NoError) return;
        if (err == RecoverError.InvalidSignature) revert ECDSAInvalidSignature();
        if (err == RecoverError.InvalidSignatureLength) revert ECDSAInvalidSignatureLength(uint256(detail));
        if (err == RecoverError.InvalidSignatureS) revert ECDSAInvalidSignatureS(detail);
        revert ECDSAInvalidSignatureV(uint8(uint256(detail)));
    }

    // ---------------------------------------------------------------- digests

    /// @notice The EIP-191 version 0x45 (personal_sign / eth_sign) digest of a 32-byte message:
    ///         keccak256("\x19Ethereum Signed Message:\n32" ‖ messageHash).
    function toEthSignedMessageHash(bytes32 messageHash) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            mstore(0x00, "\x19Ethereum Signed Message:\n32") // 28 bytes, left-aligned
            mstore(0x1c, messageHash)
            digest := keccak256(0x00, 0x3c)
        }
    }

    /// @notice The EIP-191 version 0x45 digest of an arbitrary message:
    ///         keccak256("\x19Ethereum Signed Message:\n" ‖ decimal length ‖ message).
    function toEthSignedMessageHash(bytes memory message) internal pure returns (bytes32) {
        return keccak256(
            abi.encodePacked("\x19Ethereum Signed Message:\n", Strings.toString(message.length), message)
        );
    }

    /// @notice The EIP-712 digest keccak256("\x19\x01" ‖ domainSeparator ‖ structHash) (EIP-191 version 0x01).
    function toTypedDataHash(bytes32 domainSeparator, bytes32 structHash) internal pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    /// @notice The EIP-191 version 0x00 digest keccak256("\x19\x00" ‖ validator ‖ data) ("data with intended validator").
    function toDataWithIntendedValidatorHash(address validator, bytes memory data) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1900", validator, data));
    }
}
