// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Clones
/// @notice EIP-1167 minimal proxies (45-byte clones delegating to an implementation): deploy with CREATE or CREATE2 and predict CREATE2 addresses.
/// @dev A clone has no constructor: initialise it through a call right after creation, in the same transaction
/// (see MinimalProxyFactory and Initializable), or anyone can initialise it first.
/// Runtime code of a clone (45 bytes), with I = the 20-byte implementation address:
///   363d3d373d3d3d363d73 I 5af43d82803e903d91602b57fd5bf3
///   CALLDATACOPY(0, 0, CALLDATASIZE); DELEGATECALL(GAS, I, 0, CALLDATASIZE, 0, 0);
///   RETURNDATACOPY(0, 0, RETURNDATASIZE); success ? RETURN(0, RETURNDATASIZE) : REVERT(0, RETURNDATASIZE)
/// Creation code (55 bytes) = 3d602d80600a3d3981f3 followed by the runtime code:
///   CODECOPY(0, 10, 45); RETURN(0, 45).
library Clones {
    /// @notice CREATE of a clone of `implementation` failed (nonce overflow or out of gas).
    error ClonesCreateFailed(address implementation);
    /// @notice CREATE2 of a clone of `implementation` with `salt` failed; usually the salt was already used
    ///         (an account exists at the address) or the gas ran out.
    error ClonesCreate2Failed(address implementation, bytes32 salt);
    /// @notice `implementation` has no code; a clone of it would accept every call and do nothing.
    error ClonesImplementationHasNoCode(address implementation);
    /// @notice The deploying contract holds `balance` wei, less than the `needed` endowment.
    error ClonesInsufficientBalance(uint256 balance, uint256 needed);

    // Creation code: copy the 45 bytes of runtime code that follow it to memory and return them.
    bytes10 private constant _CREATION_PREFIX = hex"3d602d80600a3d3981f3";
    // Runtime code before the implementation address (ends with PUSH20).
    bytes10 private constant _RUNTIME_HEAD = hex"363d3d373d3d3d363d73";
    // Runtime code after the implementation address.
    bytes15 private constant _RUNTIME_TAIL = hex"5af43d82803e903d91602b57fd5bf3";

    /// @notice Deploy a clone of `implementation` with CREATE; its address depends on the deployer's nonce.
    function clone(address implementation) internal returns (address instance) {
        return clone(implementation, 0);
    }

    /// @notice Deploy a clone of `implementation` with CREATE, endowed with `value` wei of the caller's balance.
    function clone(address implementation, uint256 value) internal returns (address instance) {
        bytes memory code = _prepare(implementation, value);
        assembly ("memory-safe") {
            instance := create(value, add(code, 0x20), mload(code))
        }
        if (instance == address(0)) revert ClonesCreateFailed(implementation);
    }

    /// @notice Deploy a clone of `implementation` with CREATE2 at predictDeterministicAddress(implementation, salt);
    ///         reverts ClonesCreate2Failed when the salt was already used.
    function cloneDeterministic(address implementation, bytes32 salt) internal returns (address instance) {
        return cloneDeterministic(implementation, salt, 0);
    }

    /// @notice Like cloneDeterministic(implementation, salt), endowing the clone with `value` wei.
    function cloneDeterministic(address implementation, bytes32 salt, uint256 value)
        internal
        returns (address instance)
    {
        bytes memory code = _prepare(implementation, value);
        assembly ("memory-safe") {
            instance := create2(value, add(code, 0x20), mload(code), salt)
        }
        if (instance == address(0)) revert ClonesCreate2Failed(implementation, salt);
    }

    /// @notice The address cloneDeterministic(implementation, salt) called by `deployer` creates.
    function predictDeterministicAddress(address implementation, bytes32 salt, address deployer)
        internal
        pure
        returns (address)
    {
        bytes32 h = keccak256(abi.encodePacked(bytes1(0xff), deployer, salt, initCodeHash(implementation)));
        return address(uint160(uint256(h)));
    }

    /// @notice The address cloneDeterministic(implementation, salt) creates when called by this contract.
    function predictDeterministicAddress(address implementation, bytes32 salt) internal view returns (address) {
        return predictDeterministicAddress(implementation, salt, address(this));
    }

    /// @notice The 45-byte runtime code of a clone of `implementation`.
    function runtimeCode(address implementation) internal pure returns (bytes memory) {
        return abi.encodePacked(_RUNTIME_HEAD, implementation, _RUNTIME_TAIL);
    }

    /// @notice The 55-byte creation code of a clone of `implementation`.
    function initCode(address implementation) internal pure returns (bytes memory) {
        return abi.encodePacked(_CREATION_PREFIX, _RUNTIME_HEAD, implementation, _RUNTIME_TAIL);
    }

    /// @notice keccak256 of the creation code of a clone of `implementation` (the CREATE2 init code hash).
    function initCodeHash(address implementation) internal pure returns (bytes32) {
        return keccak256(initCode(implementation));
    }

    /// @notice The implementation `instance` delegates to if its code is exactly an EIP-1167 clone; zero otherwise.
    function implementationOf(address instance) internal view returns (address implementation) {
        bytes memory code = instance.code;
        if (code.length != 45) return address(0);
        assembly ("memory-safe") {
            // bytes 10..29 of the code hold the address: skip the length word (0x20) and the 10-byte head
            implementation := shr(96, mload(add(code, 0x2a)))
        }
        if (keccak256(code) != keccak256(runtimeCode(implementation))) return address(0);
    }

    /// @dev Checks shared by every deployment; returns the creation code.
    function _prepare(address implementation, uint256 value) private view returns (bytes memory) {
        if (implementation.code.length == 0) revert ClonesImplementationHasNoCode(implementation);
        if (address(this).balance < value) revert ClonesInsufficientBalance(address(this).balance, value);
        return initCode(implementation);
    }
}
