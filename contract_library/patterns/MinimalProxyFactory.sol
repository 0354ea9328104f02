// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/Clones.sol";

/// @title MinimalProxyFactory
/// @notice Creates EIP-1167 clones of any implementation and initialises them in the same transaction, so nobody can front-run the initialisation.
/// @dev Permissionless: anyone may clone any implementation. Deterministic clones are namespaced per caller
/// (the CREATE2 salt is keccak256(abi.encode(creator, salt))), so nobody else can take the address a creator
/// predicted. The factory records which implementation each of its clones uses (`implementationOf`), so
/// other contracts can check that an address is a genuine clone created here.
contract MinimalProxyFactory {
    mapping(address clone => address implementation) private _implementations;

    /// @notice `creator` created `clone` of `implementation`; `salt` is the creator's salt (zero for createClone).
    event CloneCreated(address indexed implementation, address indexed clone, bytes32 salt, address indexed creator);

    /// @notice Create a clone of `implementation` (CREATE) and, if `initData` is not empty, call it with `initData`
    ///         and msg.value; with empty `initData` msg.value is sent along with the creation. Any failure of the
    ///         initialisation call reverts everything with the call's own revert data.
    /// @return clone The new clone.
    function createClone(address implementation, bytes calldata initData)
        external
        payable
        returns (address clone)
    {
        clone = Clones.clone(implementation, initData.length == 0 ? msg.value : 0);
        _register(implementation, clone, bytes32(0), initData);
    }

    /// @notice Like createClone, but at the address predictDeterministicAddress(implementation, salt, msg.sender);
    ///         reverts ClonesCreate2Failed when the caller already used `salt` for this implementation.
    /// @return clone The new clone.
    function createCloneDeterministic(address implementation, bytes32 salt, bytes calldata initData)
        external
        payable
        returns (address clone)
    {
        clone = Clones.cloneDeterministic(
            implementation, _creatorSalt(msg.sender, salt), initData.length == 0 ? msg.value : 0
        );
        _register(implementation, clone, salt, initData);
    }

    /// @notice The address createCloneDeterministic(implementation, salt, ...) creates when called by `creator`.
    function predictDeterministicAddress(address implementation, bytes32 salt, address creator)
        external
        view
        returns (address)
    {
        return Clones.predictDeterministicAddress(implementation, _creatorSalt(creator, salt), address(this));
    }

    /// @notice The implementation of `clone` if this factory created it; zero otherwise.
    function implementationOf(address clone) external view returns (address) {
        return _implementations[clone];
    }

    function _register(address implementation, address clone, bytes32 salt, bytes calldata initData) private {
        // Effects first: a clone initialiser that calls back into the factory already sees this clone registered.
        _implementations[clone] = implementation;
        emit CloneCreated(implementation, clone, salt, msg.sender);
        if (initData.length != 0) {
            (bool ok, bytes memory ret) = clone.call{value: msg.value}(initData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
        }
    }

    function _creatorSalt(address creator, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, salt));
    }
}
