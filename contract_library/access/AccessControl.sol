// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title AccessControl
/// @notice Role-based access control with per-role admin roles and enumerable role members.
/// @dev Inheriting contracts grant the first DEFAULT_ADMIN_ROLE holder with `_grantRole` in their
/// constructor, guard functions with `onlyRole(ROLE)` and may re-parent roles with `_setRoleAdmin`.
abstract contract AccessControl {
    /// @notice The admin role of every role that has no other admin; also its own admin.
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    struct RoleData {
        bytes32 adminRole;
        address[] members;
        mapping(address => uint256) position; // index + 1; 0 = not a member
    }

    mapping(bytes32 => RoleData) private _roles;

    /// @notice `account` was granted `role` by `sender`.
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// @notice `account` lost `role`; `sender` is the admin who revoked it or the account itself (renounce).
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// @notice The admin role of `role` changed from `previousAdminRole` to `newAdminRole`.
    event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole);

    /// @notice `account` lacks `neededRole`.
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// @notice renounceRole was called for an account other than the caller.
    error AccessControlBadConfirmation();
    /// @notice `index` is past the end of the members of `role`.
    error AccessControlMemberIndexOutOfBounds(bytes32 role, uint256 index);

    /// @dev Only holders of `role`.
    modifier onlyRole(bytes32 role) {
        _checkRole(role, msg.sender);
        _;
    }

    /// @notice Whether `account` holds `role`.
    function hasRole(bytes32 role, address account) public view virtual returns (bool) {
        return _roles[role].position[account] != 0;
    }

    /// @notice The admin role of `role` (whose holders can grant and revoke it).
    function getRoleAdmin(bytes32 role) public view virtual returns (bytes32) {
        return _roles[role].adminRole;
    }

    /// @notice Number of holders of `role`.
    function getRoleMemberCount(bytes32 role) external view returns (uint256) {
        return _roles[role].members.length;
    }

    /// @notice The holder of `role` at `index` (order changes when members leave).
    function getRoleMember(bytes32 role, uint256 index) external view returns (address) {
        address[] storage m = _roles[role].members;
        if (index >= m.length) revert AccessControlMemberIndexOutOfBounds(role, index);
        return m[index];
    }

    /// @notice All holders of `role`.
    function getRoleMembers(bytes32 role) external view returns (address[] memory) {
        return _roles[role].members;
    }

    /// @notice Grant `role` to `account` (no-op if it already holds it). Only holders of the role's admin role.
    function grantRole(bytes32 role, address account) external virtual onlyRole(getRoleAdmin(role)) {
        _grantRole(role, account);
    }

    /// @notice Revoke `role` from `account` (no-op if it does not hold it). Only holders of the role's admin role.
    function revokeRole(bytes32 role, address account) external virtual onlyRole(getRoleAdmin(role)) {
        _revokeRole(role, account);
    }

    /// @notice Give up `role`; `callerConfirmation` must be the caller's own address.
    function renounceRole(bytes32 role, address callerConfirmation) external virtual {
        if (callerConfirmation != msg.sender) revert AccessControlBadConfirmation();
        _revokeRole(role, callerConfirmation);
    }

    function _checkRole(bytes32 role, address account) internal view virtual {
        if (!hasRole(role, account)) revert AccessControlUnauthorizedAccount(account, role);
    }

    /// @dev Set the admin role of `role`.
    function _setRoleAdmin(bytes32 role, bytes32 adminRole) internal virtual {
        bytes32 previous = _roles[role].adminRole;
        _roles[role].adminRole = adminRole;
        emit RoleAdminChanged(role, previous, adminRole);
    }

    /// @dev Grant without access checks; returns whether anything changed.
    function _grantRole(bytes32 role, address account) internal virtual returns (bool) {
        RoleData storage r = _roles[role];
        if (r.position[account] != 0) return false;
        r.members.push(account);
        r.position[account] = r.members.length;
        emit RoleGranted(role, account, msg.sender);
        return true;
    }

    /// @dev Revoke without access checks; returns whether anything changed.
    function _revokeRole(bytes32 role, address account) internal virtual returns (bool) {
        RoleData storage r = _roles[role];
        uint256 pos = r.position[account];
        if (pos == 0) return false;
        uint256 last = r.members.length;
        if (pos != last) {
            address moved = r.members[last - 1];
            r.members[pos - 1] = moved;
            r.position[moved] = pos;
        }
        r.members.pop();
        delete r.position[account];
        emit RoleRevoked(role, account, msg.sender);
        return true;
    }
}
