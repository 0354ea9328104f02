// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/crypto/ECDSA.sol";

/// @title EIP712
/// @notice Base for contracts that verify EIP-712 typed-data signatures: cached domain separator, _hashTypedDataV4 and the EIP-5267 eip712Domain().
/// @dev The domain is `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`.
///      Its separator is computed once at deployment and kept in immutables; it is rebuilt on the fly whenever
///      `block.chainid` or `address(this)` differ from the deployment values (after a chain fork, or when the
///      code runs behind a proxy or EIP-1167 clone), so signatures are always bound to the chain and the address
///      the user actually talks to. Name and version of up to 31 bytes live in immutables too; longer ones are
///      kept in storage (their hashes are always immutable).
abstract contract EIP712 {
    bytes32 private constant TYPE_HASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @dev Marker in the lowest byte of a packed string that says "too long, read it from storage".
    uint256 private constant LONG_STRING = 0xff;

    bytes32 private immutable _hashedName;
    bytes32 private immutable _hashedVersion;
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;
    bytes32 private immutable _cachedDomainSeparator;
    bytes32 private immutable _packedName;
    bytes32 private immutable _packedVersion;
    string private _longName;
    string private _longVersion;

    /// @param name The user-readable signing domain name (e.g. the dapp or token name).
    /// @param version The current major version of the signing domain; change it to invalidate old signatures.
    constructor(string memory name, string memory version) {
        bytes32 hashedName = keccak256(bytes(name));
        bytes32 hashedVersion = keccak256(bytes(version));
        _hashedName = hashedName;
        _hashedVersion = hashedVersion;
        _cachedChainId = block.chainid;
        _cachedThis = address(this);
        _cachedDomainSeparator = _buildDomainSeparator(hashedName, hashedVersion);
        bytes32 packedName = _pack(name);
        bytes32 packedVersion = _pack(version);
        _packedName = packedName;
        _packedVersion = packedVersion;
        if (uint256(packedName) == LONG_STRING) _longName = name;
        if (uint256(packedVersion) == LONG_STRING) _longVersion = version;
    }

    /// @notice The EIP-5267 description of this contract's EIP-712 domain: fields 0x0f (name, version, chainId,
    ///         verifyingContract), no salt, no extensions.
    function eip712Domain()
        public
        view
        virtual
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _EIP712Name(), _EIP712Version(), block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @dev The domain separator for the current chain and address (cached unless either changed).
    function _domainSeparatorV4() internal view returns (bytes32) {
        if (address(this) == _cachedThis && block.chainid == _cachedChainId) return _cachedDomainSeparator;
        return _buildDomainSeparator(_hashedName, _hashedVersion);
    }

    /// @dev The digest to sign / recover for a struct of this domain:
    ///      keccak256("\x19\x01" ‖ domainSeparator ‖ structHash), where structHash = keccak256(abi.encode(TYPEHASH, ...)).
    function _hashTypedDataV4(bytes32 structHash) internal view virtual returns (bytes32) {
        return ECDSA.toTypedDataHash(_domainSeparatorV4(), structHash);
    }

    /// @dev The domain name given at construction.
    function _EIP712Name() internal view returns (string memory) {
        bytes32 packed = _packedName;
        return uint256(packed) == LONG_STRING ? _longName : _unpack(packed);
    }

    /// @dev The domain version given at construction.
    function _EIP712Version() internal view returns (string memory) {
        bytes32 packed = _packedVersion;
        return uint256(packed) == LONG_STRING ? _longVersion : _unpack(packed);
    }

    function _buildDomainSeparator(bytes32 hashedName, bytes32 hashedVersion) private view returns (bytes32) {
        return keccak256(abi.encode(TYPE_HASH, hashedName, hashedVersion, block.chainid, address(this)));
    }

    /// @dev Up to 31 bytes: the bytes left-aligned with the length in the lowest byte; longer: LONG_STRING.
    function _pack(string memory s) private pure returns (bytes32) {
        bytes memory b = bytes(s);
        if (b.length > 31) return bytes32(LONG_STRING);
        return bytes32(b) | bytes32(b.length);
    }

    /// @dev The string packed by _pack (not LONG_STRING).
    function _unpack(bytes32 packed) private pure returns (string memory s) {
        uint256 length = uint256(packed) & 0xff;
        assembly ("memory-safe") {
            s := mload(0x40)
            mstore(0x40, add(s, 0x40))
            mstore(s, length)
            mstore(add(s, 0x20), and(packed, not(0xff)))
        }
    }
}
