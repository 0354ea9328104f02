// SPDX-License-Identifier: {{ cookiecutter.license if cookiecutter.license != "Proprietary" else "UNLICENSED" }}
pragma solidity ^0.8.20;

import "@smartdev/governance/RecoverableAccount.sol";
import "@smartdev/access/AccessControl.sol";
import "@smartdev/patterns/ReentrancyGuard.sol";

/// @title Treasury
/// @notice Holds ether; an admin (DEFAULT_ADMIN_ROLE) gives spending allowances to accounts of a
///         RecoverableAccount registry — to account ids, not keys. When a spender rotates its key,
///         or its guardians recover the account to a new key, the allowance follows: nothing here
///         changes, and the old key can no longer spend.
contract Treasury is AccessControl, ReentrancyGuard {
    /// @notice May change allowances (besides the admin).
    bytes32 public constant TREASURER_ROLE = keccak256("TREASURER_ROLE");

    RecoverableAccount public immutable registry;
    /// @notice Wei account `id` may still spend.
    mapping(uint256 => uint256) public allowanceOf;

    event Deposited(address indexed from, uint256 amount);
    event AllowanceSet(uint256 indexed account, uint256 amount, address by);
    event Spent(uint256 indexed account, address indexed key, address to, uint256 amount);

    error NotAnAccount(address key);
    error OverAllowance(uint256 account, uint256 allowance, uint256 amount);
    error PaymentFailed(address to, uint256 amount);

    constructor(RecoverableAccount registry_, address admin) {
        registry = registry_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(TREASURER_ROLE, admin);
    }

    receive() external payable {
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Add ether to the treasury.
    function deposit() external payable {
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Let account `account` spend up to `amount` wei. TREASURER_ROLE only.
    function setAllowance(uint256 account, uint256 amount) external onlyRole(TREASURER_ROLE) {
        allowanceOf[account] = amount;
        emit AllowanceSet(account, amount, msg.sender);
    }

    /// @notice Pay `amount` wei to `to` out of the caller's account's allowance.
    function spend(address payable to, uint256 amount) external nonReentrant {
        uint256 id = registry.accountOf(msg.sender);
        if (id == 0 || registry.isFrozen(id)) revert NotAnAccount(msg.sender);
        uint256 left = allowanceOf[id];
        if (amount > left) revert OverAllowance(id, left, amount);
        allowanceOf[id] = left - amount;
        emit Spent(id, msg.sender, to, amount);
        (bool ok, ) = to.call{value: amount}("");
        if (!ok) revert PaymentFailed(to, amount);
    }
}
