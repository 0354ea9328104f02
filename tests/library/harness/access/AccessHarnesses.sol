// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/Ownable2Step.sol";
import "@smartdev/access/Pausable.sol";
import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Whitelist.sol";
import "@smartdev/access/FunctionAccessController.sol";
import "@smartdev/access/AccessControlled.sol";

/// Ownable2Step + Pausable: the owner pauses; `bump` works only when not paused, `rescue` only when paused.
contract AccessOwnedPausable is Ownable2Step, Pausable {
    uint256 public counter;
    uint256 public rescued;

    constructor(address initialOwner) Ownable2Step(initialOwner) {}

    function pause() external onlyOwner { _pause(); }
    function unpause() external onlyOwner { _unpause(); }
    function bump() external onlyOwner whenNotPaused { counter += 1; }
    function rescue() external whenPaused { rescued += 1; }
}

/// AccessControl with a MINTER role administered by MINTER_ADMIN.
contract AccessRoles is AccessControl {
    bytes32 public constant MINTER = keccak256("MINTER");
    bytes32 public constant MINTER_ADMIN = keccak256("MINTER_ADMIN");
    uint256 public minted;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setRoleAdmin(bytes32 role, bytes32 adminRole) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRoleAdmin(role, adminRole);
    }

    function mint() external onlyRole(MINTER) { minted += 1; }
}

/// Whitelist-gated action.
contract AccessWhitelisted is Whitelist {
    uint256 public calls;

    constructor(address initialOwner) Whitelist(initialOwner) {}

    function act() external onlyWhitelisted { calls += 1; }
}


/// Two restricted functions and one open one, guarded by a FunctionAccessController.
contract AccessGuarded is AccessControlled {
    uint256 public deposits;
    uint256 public withdrawals;
    uint256 public pings;

    constructor(address controller) AccessControlled(controller) {}

    function deposit() external restricted { deposits += 1; }
    function withdraw() external restricted { withdrawals += 1; }
    function ping() external { pings += 1; }
}
