// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/crypto/ECDSA.sol";
import "@smartdev/crypto/EIP712.sol";
import "@smartdev/crypto/SignatureChecker.sol";
import "@smartdev/crypto/IERC1271.sol";
import "@smartdev/crypto/CommitReveal.sol";

/// Exposes ECDSA (recover / tryRecover overloads, digests), with batch variants for one eth_call.
contract ECDSAHarness {
    function recover(bytes32 hash, bytes calldata signature) external pure returns (address) {
        return ECDSA.recover(hash, signature);
    }

    function recoverRVs(bytes32 hash, bytes32 r, bytes32 vs) external pure returns (address) {
        return ECDSA.recover(hash, r, vs);
    }

    function recoverVRS(bytes32 hash, uint8 v, bytes32 r, bytes32 s) external pure returns (address) {
        return ECDSA.recover(hash, v, r, s);
    }

    function tryRecover(bytes32 hash, bytes calldata signature) external pure returns (address, uint8, bytes32) {
        (address signer, ECDSA.RecoverError err, bytes32 detail) = ECDSA.tryRecover(hash, signature);
        return (signer, uint8(err), detail);
    }

    function tryRecoverRVs(bytes32 hash, bytes32 r, bytes32 vs) external pure returns (address, uint8, bytes32) {
        (address signer, ECDSA.RecoverError err, bytes32 detail) = ECDSA.tryRecover(hash, r, vs);
        return (signer, uint8(err), detail);
    }

    function tryRecoverVRS(bytes32 hash, uint8 v, bytes32 r, bytes32 s) external pure returns (address, uint8, bytes32) {
        (address signer, ECDSA.RecoverError err, bytes32 detail) = ECDSA.tryRecover(hash, v, r, s);
        return (signer, uint8(err), detail);
    }

    /// tryRecover over many (hash, signature) pairs.
    function tryRecoverMany(bytes32[] calldata hashes, bytes[] calldata signatures)
        external
        pure
        returns (address[] memory signers, uint8[] memory errs, bytes32[] memory details)
    {
        uint256 n = hashes.length;
        signers = new address[](n);
        errs = new uint8[](n);
        details = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            ECDSA.RecoverError err;
            (signers[i], err, details[i]) = ECDSA.tryRecover(hashes[i], signatures[i]);
            errs[i] = uint8(err);
        }
    }

    /// tryRecover(hash, r, vs) over many EIP-2098 compact signatures given as (r, vs) fields.
    function tryRecoverManyRVs(bytes32[] calldata hashes, bytes32[] calldata rs, bytes32[] calldata vss)
        external
        pure
        returns (address[] memory signers, uint8[] memory errs, bytes32[] memory details)
    {
        uint256 n = hashes.length;
        signers = new address[](n);
        errs = new uint8[](n);
        details = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            ECDSA.RecoverError err;
            (signers[i], err, details[i]) = ECDSA.tryRecover(hashes[i], rs[i], vss[i]);
            errs[i] = uint8(err);
        }
    }

    function throwError(uint8 err, bytes32 detail) external pure {
        ECDSA.throwError(ECDSA.RecoverError(err), detail);
    }

    function ethSignedHash(bytes32 messageHash) external pure returns (bytes32) {
        return ECDSA.toEthSignedMessageHash(messageHash);
    }

    function ethSignedHashOfBytes(bytes calldata message) external pure returns (bytes32) {
        return ECDSA.toEthSignedMessageHash(message);
    }

    /// toEthSignedMessageHash(bytes) over many messages.
    function ethSignedHashesOfBytes(bytes[] calldata messages) external pure returns (bytes32[] memory out) {
        out = new bytes32[](messages.length);
        for (uint256 i = 0; i < messages.length; i++) {
            out[i] = ECDSA.toEthSignedMessageHash(messages[i]);
        }
    }

    /// Recovers the personal_sign signer of `message`.
    function recoverPersonal(bytes calldata message, bytes calldata signature) external pure returns (address) {
        return ECDSA.recover(ECDSA.toEthSignedMessageHash(message), signature);
    }

    function typedDataHash(bytes32 domainSeparator, bytes32 structHash) external pure returns (bytes32) {
        return ECDSA.toTypedDataHash(domainSeparator, structHash);
    }

    function intendedValidatorHash(address validator, bytes calldata data) external pure returns (bytes32) {
        return ECDSA.toDataWithIntendedValidatorHash(validator, data);
    }

    /// Checks that the assembly digests leave the free memory pointer and later allocations intact.
    function digestsKeepMemory(bytes32 a, bytes32 b) external pure returns (bytes32, bytes32, bytes memory) {
        bytes memory before = abi.encode(a, b);
        bytes32 d1 = ECDSA.toEthSignedMessageHash(a);
        bytes32 d2 = ECDSA.toTypedDataHash(a, b);
        bytes memory later = abi.encode(d1, d2);
        return (keccak256(before), keccak256(later), bytes.concat(before, later));
    }
}

/// EIP712 with a sample `Mail(address from,address to,string contents,uint256 nonce)` struct.
contract EIP712Harness is EIP712 {
    bytes32 public constant MAIL_TYPEHASH =
        keccak256("Mail(address from,address to,string contents,uint256 nonce)");

    constructor(string memory name, string memory version) EIP712(name, version) {}

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function hashTypedData(bytes32 structHash) external view returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    function mailDigest(address from, address to, string calldata contents, uint256 nonce)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(MAIL_TYPEHASH, from, to, keccak256(bytes(contents)), nonce)));
    }

    function mailSigner(address from, address to, string calldata contents, uint256 nonce, bytes calldata signature)
        external
        view
        returns (address)
    {
        return ECDSA.recover(mailDigest(from, to, contents, nonce), signature);
    }

    function names() external view returns (string memory, string memory) {
        return (_EIP712Name(), _EIP712Version());
    }
}

/// Deploys EIP-1167 minimal proxies (clones) of an implementation.
contract EIP712CloneFactory {
    event CloneCreated(address clone);

    function clone(address implementation) external returns (address instance) {
        bytes memory code = abi.encodePacked(
            hex"3d602d80600a3d3981f3363d3d373d3d3d363d73", implementation, hex"5af43d82803e903d91602b57fd5bf3"
        );
        assembly {
            instance := create(0, add(code, 0x20), mload(code))
        }
        require(instance != address(0), "clone failed");
        emit CloneCreated(instance);
    }
}

/// Exposes SignatureChecker.
contract SignatureCheckerHarness {
    function isValidSignatureNow(address signer, bytes32 hash, bytes calldata signature) external view returns (bool) {
        return SignatureChecker.isValidSignatureNow(signer, hash, signature);
    }

    function isValidERC1271SignatureNow(address signer, bytes32 hash, bytes calldata signature)
        external
        view
        returns (bool)
    {
        return SignatureChecker.isValidERC1271SignatureNow(signer, hash, signature);
    }

    /// Both checks for many signers at once.
    function checkMany(address[] calldata signers, bytes32 hash, bytes[] calldata signatures)
        external
        view
        returns (bool[] memory now_, bool[] memory erc1271)
    {
        now_ = new bool[](signers.length);
        erc1271 = new bool[](signers.length);
        for (uint256 i = 0; i < signers.length; i++) {
            now_[i] = SignatureChecker.isValidSignatureNow(signers[i], hash, signatures[i]);
            erc1271[i] = SignatureChecker.isValidERC1271SignatureNow(signers[i], hash, signatures[i]);
        }
    }
}

/// An ERC-1271 wallet with selectable (mis)behaviour.
contract ERC1271WalletMock is IERC1271 {
    // 0 owner's ECDSA signature, 1 always 0xffffffff, 2 revert, 3 return 4 raw bytes (short),
    // 4 magic with junk in the padding, 5 empty return, 6 magic followed by extra words, 7 burn all gas
    uint8 public mode;
    address public owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function setMode(uint8 mode_) external {
        mode = mode_;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        uint8 m = mode;
        if (m == 0) {
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
            return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0);
        }
        if (m == 1) return 0xffffffff;
        if (m == 2) revert("ERC1271WalletMock: no");
        if (m == 3) {
            assembly {
                mstore(0, shl(224, 0x1626ba7e))
                return(0, 4)
            }
        }
        if (m == 4) {
            assembly {
                mstore(0, or(shl(224, 0x1626ba7e), 1))
                return(0, 32)
            }
        }
        if (m == 5) {
            assembly {
                return(0, 0)
            }
        }
        if (m == 6) {
            assembly {
                mstore(0, shl(224, 0x1626ba7e))
                return(0, 0x2000)
            }
        }
        while (true) {} // 7: never returns, consumes the forwarded gas
        return 0;
    }
}

/// CommitReveal that only its owner may open rounds, and that records its hooks.
contract CommitRevealHookMock is CommitReveal {
    address public immutable owner;
    uint256 public hookCommits;
    uint256 public hookReveals;
    bytes32 public lastValue;
    address public lastRevealer;
    uint256 public revealsSeenInHook;

    error CommitRevealHookMockNotOwner(address caller);

    constructor() {
        owner = msg.sender;
    }

    function openRound(uint64 commitDeadline, uint64 revealDeadline) external override returns (uint256) {
        if (msg.sender != owner) revert CommitRevealHookMockNotOwner(msg.sender);
        return _openRound(commitDeadline, revealDeadline);
    }

    function _afterCommit(uint256, address, bytes32) internal override {
        hookCommits += 1;
    }

    function _afterReveal(uint256 round, address committer, bytes32 value) internal override {
        hookReveals += 1;
        lastValue = value;
        lastRevealer = committer;
        (, , , , revealsSeenInHook) = this.getRound(round);
    }
}
