// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @notice The one question AccessControlled asks its controller (implemented by FunctionAccessController).
interface IFunctionAccessController {
    /// @notice Whether `caller` may call function `selector` of `target`.
    function canCall(address caller, address target, bytes4 selector) external view returns (bool);
}

/// @title AccessControlled
/// @notice Base for contracts whose functions are guarded by an external FunctionAccessController via the `restricted` modifier.
abstract contract AccessControlled {
    /// @notice The controller consulted by `restricted` functions.
    IFunctionAccessController public immutable accessController;

    /// @notice `caller` may not call function `selector` of this contract.
    error AccessRestricted(address caller, bytes4 selector);
    /// @notice The controller address is zero.
    error InvalidAccessController();

    constructor(address controller) {
        if (controller == address(0)) revert InvalidAccessController();
        accessController = IFunctionAccessController(controller);
    }

    /// @dev Asks the controller whether msg.sender may call msg.sig on this contract.
    modifier restricted() {
        if (!accessController.canCall(msg.sender, address(this), msg.sig)) {
            revert AccessRestricted(msg.sender, msg.sig);
        }
        _;
    }
}
