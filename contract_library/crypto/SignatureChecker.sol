// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/crypto/ECDSA.sol";
import "@smartdev/crypto/IERC1271.sol";

/// @title SignatureChecker
/// @notice Checks a signature for any signer: ECDSA recovery for externally owned accounts, ERC-1271 isValidSignature for contract wallets.
/// @dev Both checks are `view` and never revert: a malformed signature, a reverting wallet, a wallet without code,
///      short or garbage return data all yield `false`. Only the first 32 bytes of a wallet's return data are
///      copied, so an oversized reply cannot make the caller run out of memory gas.
library SignatureChecker {
    /// @notice The value an ERC-1271 wallet returns for a valid signature (the selector of isValidSignature).
    bytes4 internal constant ERC1271_MAGIC_VALUE = 0x1626ba7e;

    /// @notice Whether `signature` is a valid signature of `hash` by `signer`, right now.
    /// @dev First tries ECDSA (65-byte r ‖ s ‖ v only, canonical only: a 64-byte EIP-2098 compact signature is not
    ///      recovered, see ECDSA.tryRecover); if that does not yield `signer` and `signer` has code, asks it through
    ///      ERC-1271 (which gets the signature bytes unchanged, whatever their length). The ECDSA path comes first so
    ///      that EOAs with delegated code (EIP-7702) keep working with their key. A contract's answer may change over
    ///      time (hence "Now").
    function isValidSignatureNow(address signer, bytes32 hash, bytes memory signature) internal view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return isValidERC1271SignatureNow(signer, hash, signature);
    }

    /// @notice Whether the contract `signer` accepts `signature` for `hash` through ERC-1271 (false for accounts without code).
    /// @dev A staticcall forwarding all but 1/64 of the remaining gas; true only when it succeeds and the first
    ///      32 bytes of the return data are exactly the magic value 0x1626ba7e left-aligned (bytes4 ABI encoding).
    function isValidERC1271SignatureNow(address signer, bytes32 hash, bytes memory signature)
        internal
        view
        returns (bool valid)
    {
        if (signer.code.length == 0) return false;
        bytes memory callData = abi.encodeCall(IERC1271.isValidSignature, (hash, signature));
        bytes32 magic = bytes32(ERC1271_MAGIC_VALUE);
        assembly ("memory-safe") {
            mstore(0x00, 0)
            let ok := staticcall(gas(), signer, add(callData, 0x20), mload(callData), 0x00, 0x20)
            valid := and(ok, and(iszero(lt(returndatasize(), 0x20)), eq(mload(0x00), magic)))
        }
    }
}
