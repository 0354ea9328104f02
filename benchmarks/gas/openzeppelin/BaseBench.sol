// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@openzeppelin/contracts/utils/Base64.sol";
import "@openzeppelin/contracts/utils/Arrays.sol";
import "@openzeppelin/contracts/utils/math/Math.sol";
import "@openzeppelin/contracts/utils/Strings.sol";

contract OzBaseBench {
    function gasSort(uint256[] memory values) external view returns (uint256 used, uint256[] memory result) {
        uint256 start = gasleft();
        result = Arrays.sort(values);
        used = start - gasleft();
    }

    function gasSqrt(uint256 x) external view returns (uint256 used, uint256 result) {
        uint256 start = gasleft();
        result = Math.sqrt(x);
        used = start - gasleft();
    }

    function gasMulDiv(uint256 x, uint256 y, uint256 d) external view returns (uint256 used, uint256 result) {
        uint256 start = gasleft();
        result = Math.mulDiv(x, y, d);
        used = start - gasleft();
    }

    function gasLog2(uint256 x) external view returns (uint256 used, uint256 result) {
        uint256 start = gasleft();
        result = Math.log2(x);
        used = start - gasleft();
    }

    function gasToString(uint256 x) external view returns (uint256 used, string memory result) {
        uint256 start = gasleft();
        result = Strings.toString(x);
        used = start - gasleft();
    }

    function gasToChecksumHex(address a) external view returns (uint256 used, string memory result) {
        uint256 start = gasleft();
        result = Strings.toChecksumHexString(a);
        used = start - gasleft();
    }

    function gasBase64(bytes memory data) external view returns (uint256 used, string memory result) {
        uint256 start = gasleft();
        result = Base64.encode(data);
        used = start - gasleft();
    }
}
