// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/crypto/ECDSA.sol";

contract CryptoBench {
    function gasRecover(bytes32 hash, bytes memory signature) external view returns (uint256 used, address signer) {
        uint256 start = gasleft();
        signer = ECDSA.recover(hash, signature);
        used = start - gasleft();
    }

    function gasEthSignedMessageHash(bytes32 hash) external view returns (uint256 used, bytes32 digest) {
        uint256 start = gasleft();
        digest = ECDSA.toEthSignedMessageHash(hash);
        used = start - gasleft();
    }
}
