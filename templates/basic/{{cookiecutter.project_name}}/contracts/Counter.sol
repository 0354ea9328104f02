// SPDX-License-Identifier: {{ cookiecutter.license if cookiecutter.license != "Proprietary" else "UNLICENSED" }}
pragma solidity {{ cookiecutter.solidity }};

/// @title A counter anyone can step up and only its owner can reset.
contract Counter {
    address public immutable owner;
    uint256 public count;

    event Stepped(address indexed by, uint256 amount, uint256 count);
    event Reset(uint256 previous);

    error NotOwner(address caller);
    error ZeroStep();

    constructor(uint256 start) {
        owner = msg.sender;
        count = start;
    }

    /// @notice Add one.
    function increment() external {
        stepBy(1);
    }

    /// @notice Add `amount` (not zero).
    function stepBy(uint256 amount) public {
        if (amount == 0) revert ZeroStep();
        count += amount;
        emit Stepped(msg.sender, amount, count);
    }

    /// @notice Back to zero; owner only.
    function reset() external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        emit Reset(count);
        count = 0;
    }
}
