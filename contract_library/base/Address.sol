// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Address
/// @notice Address helpers: whether an account has code, and sending ether with a clear error on failure.
library Address {
    /// @notice The sending contract holds `balance` wei, less than the `needed` amount.
    error AddressInsufficientBalance(uint256 balance, uint256 needed);
    /// @notice The ether transfer of `amount` wei to `to` failed (the recipient reverted or ran out of gas).
    error AddressSendFailed(address to, uint256 amount);

    /// @notice Whether `account` currently has code.
    /// @dev False for externally owned accounts, precompiles without code, contracts under construction
    ///      (code is stored when the constructor ends) and destroyed contracts. Do not use it to keep contracts
    ///      out: a contract calling from its constructor passes as "not a contract".
    function isContract(address account) internal view returns (bool) {
        return account.code.length > 0;
    }

    /// @notice Sends `amount` wei to `to`, forwarding all gas (unlike `transfer`'s 2300 stipend).
    /// @dev Reverts with AddressInsufficientBalance or AddressSendFailed. Forwarding all gas hands control to
    ///      `to`: follow checks-effects-interactions or use a reentrancy guard.
    function sendValue(address payable to, uint256 amount) internal {
        uint256 balance = address(this).balance;
        if (balance < amount) revert AddressInsufficientBalance(balance, amount);
        (bool success, ) = to.call{value: amount}("");
        if (!success) revert AddressSendFailed(to, amount);
    }
}
