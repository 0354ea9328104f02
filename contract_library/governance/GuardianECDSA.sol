// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title GuardianECDSA
/// @notice Minimal ECDSA helpers (EIP-191 personal_sign digests, malleability-safe ecrecover) for guardian signatures.
library GuardianECDSA {
    /// @dev Upper bound (inclusive) for the `s` value of a canonical signature: secp256k1n / 2.
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice The EIP-191 version 0x45 ("personal_sign") digest of a 32-byte message hash.
    function toEthSignedMessageHash(bytes32 messageHash) internal pure returns (bytes32 digest) {
        return keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", messageHash));
    }

    /// @notice The signer of `digest` from a 65-byte (r, s, v) signature, or address(0) when the
    /// signature is malformed, non-canonical (s in the upper half, v not 27/28) or invalid.
    function tryRecover(bytes32 digest, bytes memory signature) internal pure returns (address signer) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if (uint256(s) > HALF_ORDER) return address(0);
        if (v != 27 && v != 28) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
