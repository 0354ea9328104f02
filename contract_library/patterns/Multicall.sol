// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Multicall
/// @notice Mixin that lets callers batch several calls to the inheriting contract into one atomic transaction.
/// @dev Each element of `data` is delegatecalled on the contract itself, so every call keeps the original
/// msg.sender and runs the contract's own access checks. The batch is atomic: the first failing call reverts
/// the whole batch with that call's revert data, unchanged (custom errors decode as if called directly).
///
/// msg.value: a delegatecall keeps the caller's msg.value, so inside a payable multicall every sub-call would
/// see — and could credit — the same ether again (the well-known "msg.value in a loop" bug). `multicall` is
/// therefore NOT payable: a batch sent with ether is rejected, and the sub-calls always see msg.value == 0.
/// Call payable functions directly.
///
/// Cost: one delegatecall per element, no bound on `data.length` other than the block gas limit (the caller pays).
abstract contract Multicall {
    /// @notice Run each of `data` (ABI-encoded calls of this contract's functions) in order, as if called by the
    ///         caller directly; reverts with the first failing call's revert data.
    /// @return results The return data of each call.
    function multicall(bytes[] calldata data) external virtual returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; ++i) {
            (bool ok, bytes memory ret) = address(this).delegatecall(data[i]);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            results[i] = ret;
        }
    }
}
