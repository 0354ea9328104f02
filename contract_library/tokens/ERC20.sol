// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/tokens/IERC20.sol";
import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";

/// @title ERC20
/// @notice ERC-20 token base (infinite-allowance convention, configurable decimals) plus FungibleToken: role-gated mint/burn, optional cap, pausable.
/// @dev Every balance change goes through `_update(from, to, value)` (`from` zero = mint, `to` zero = burn), the
///      one hook to override for caps, pausing or bookkeeping. An allowance of type(uint256).max is never
///      decreased by transferFrom. transferFrom does not emit Approval (the ERC-20 text does not require it);
///      approve, increaseAllowance and decreaseAllowance do, with the new allowance.
abstract contract ERC20 is IERC20Metadata {
    mapping(address => uint256) private _balances;
    mapping(address => mapping(address => uint256)) private _allowances;
    uint256 private _totalSupply;
    string private _name;
    string private _symbol;
    uint8 private immutable _decimals;

    /// @notice `account` holds `balance` tokens but `needed` are required.
    error ERC20InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice `spender` may move only `allowance` of `owner`'s tokens but `needed` are required.
    error ERC20InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    /// @notice Tokens cannot be sent from `sender` (the zero address).
    error ERC20InvalidSender(address sender);
    /// @notice Tokens cannot be sent to `receiver` (the zero address; burn instead).
    error ERC20InvalidReceiver(address receiver);
    /// @notice `approver` (the zero address) cannot grant an allowance.
    error ERC20InvalidApprover(address approver);
    /// @notice `spender` (the zero address) cannot receive an allowance.
    error ERC20InvalidSpender(address spender);
    /// @notice decreaseAllowance by `decrease` exceeds the current `allowance` of `spender` over `owner`'s tokens.
    error ERC20AllowanceUnderflow(address owner, address spender, uint256 allowance, uint256 decrease);
    /// @notice increaseAllowance by `increase` would take the `allowance` of `spender` past type(uint256).max.
    error ERC20AllowanceOverflow(address owner, address spender, uint256 allowance, uint256 increase);
    /// @notice Minting `amount` would take the total supply `totalSupply` past type(uint256).max.
    error ERC20SupplyOverflow(uint256 totalSupply, uint256 amount);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        _name = name_;
        _symbol = symbol_;
        _decimals = decimals_;
    }

    // ---------------------------------------------------------------- views

    /// @notice The token's name.
    function name() public view virtual returns (string memory) {
        return _name;
    }

    /// @notice The token's symbol.
    function symbol() public view virtual returns (string memory) {
        return _symbol;
    }

    /// @notice The number of decimals used to display amounts (fixed at construction).
    function decimals() public view virtual returns (uint8) {
        return _decimals;
    }

    /// @notice The number of tokens in existence.
    function totalSupply() public view virtual returns (uint256) {
        return _totalSupply;
    }

    /// @notice The token balance of `account`.
    function balanceOf(address account) public view virtual returns (uint256) {
        return _balances[account];
    }

    /// @notice How many of `owner`'s tokens `spender` may still move (type(uint256).max = unlimited).
    function allowance(address owner, address spender) public view virtual returns (uint256) {
        return _allowances[owner][spender];
    }

    // ---------------------------------------------------------------- ERC-20

    /// @notice Move `value` of the caller's tokens to `to` (not the zero address); returns true.
    function transfer(address to, uint256 value) public virtual returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @notice Set `spender`'s allowance over the caller's tokens to `value` (type(uint256).max = unlimited); returns true.
    /// @dev Changing a non-zero allowance to another non-zero value can be front-run by the spender (spending the
    ///      old allowance first); set it to 0 first, or use increaseAllowance / decreaseAllowance.
    function approve(address spender, uint256 value) public virtual returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    /// @notice Move `value` tokens from `from` to `to` using the caller's allowance (not decreased when unlimited); returns true.
    function transferFrom(address from, address to, uint256 value) public virtual returns (bool) {
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }

    /// @notice Raise `spender`'s allowance over the caller's tokens by `addedValue`; emits Approval with the new value.
    function increaseAllowance(address spender, uint256 addedValue) public virtual returns (bool) {
        uint256 current = _allowances[msg.sender][spender];
        if (addedValue > type(uint256).max - current) {
            revert ERC20AllowanceOverflow(msg.sender, spender, current, addedValue);
        }
        _approve(msg.sender, spender, current + addedValue);
        return true;
    }

    /// @notice Lower `spender`'s allowance over the caller's tokens by `subtractedValue`; emits Approval with the new value.
    function decreaseAllowance(address spender, uint256 subtractedValue) public virtual returns (bool) {
        uint256 current = _allowances[msg.sender][spender];
        if (subtractedValue > current) {
            revert ERC20AllowanceUnderflow(msg.sender, spender, current, subtractedValue);
        }
        unchecked {
            _approve(msg.sender, spender, current - subtractedValue);
        }
        return true;
    }

    // ---------------------------------------------------------------- internals

    /// @dev Move `value` from `from` to `to`; neither may be the zero address.
    function _transfer(address from, address to, uint256 value) internal virtual {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _update(from, to, value);
    }

    /// @dev Create `value` tokens for `to` (not the zero address); emits Transfer(0, to, value).
    function _mint(address to, uint256 value) internal virtual {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _update(address(0), to, value);
    }

    /// @dev Destroy `value` of `from`'s tokens (not the zero address); emits Transfer(from, 0, value).
    function _burn(address from, uint256 value) internal virtual {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        _update(from, address(0), value);
    }

    /// @dev The single place where balances and the supply change. `from` zero mints, `to` zero burns.
    ///      Overrides must call super._update.
    function _update(address from, address to, uint256 value) internal virtual {
        if (from == address(0)) {
            uint256 supply = _totalSupply;
            if (value > type(uint256).max - supply) revert ERC20SupplyOverflow(supply, value);
            _totalSupply = supply + value;
        } else {
            uint256 balance = _balances[from];
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
            unchecked {
                _balances[from] = balance - value;
            }
        }
        unchecked {
            if (to == address(0)) {
                // value <= balance of `from` <= total supply
                _totalSupply -= value;
            } else {
                // the sum of all balances never exceeds the total supply, which fits in uint256
                _balances[to] += value;
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev Set `spender`'s allowance over `owner`'s tokens to `value` and emit Approval.
    function _approve(address owner, address spender, uint256 value) internal virtual {
        if (owner == address(0)) revert ERC20InvalidApprover(address(0));
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        _allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    /// @dev Use `value` of `spender`'s allowance over `owner`'s tokens; an unlimited allowance is left as is.
    ///      Emits no event.
    function _spendAllowance(address owner, address spender, uint256 value) internal virtual {
        uint256 current = _allowances[owner][spender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(owner, spender, current, value);
            unchecked {
                _allowances[owner][spender] = current - value;
            }
        }
    }
}

/// @notice A ready-to-deploy ERC-20: MINTER_ROLE mints up to an optional cap, holders burn their own tokens
///         (or others' with an allowance), BURNER_ROLE burns from any account, PAUSER_ROLE freezes all balance changes.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE, MINTER_ROLE and PAUSER_ROLE — not BURNER_ROLE, which
///      can destroy anyone's tokens and must be granted deliberately.
contract FungibleToken is ERC20, AccessControl, Pausable {
    /// @notice May mint new tokens (up to the cap).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice May burn tokens from any account without an allowance.
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    /// @notice May pause and unpause all balance changes.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 private immutable _cap;

    /// @notice Minting `amount` on top of `totalSupply` would exceed `cap`.
    error FungibleTokenCapExceeded(uint256 totalSupply, uint256 amount, uint256 cap);
    /// @notice The admin cannot be the zero address.
    error FungibleTokenInvalidAdmin(address admin);

    /// @param cap_ The largest total supply; 0 means no cap (type(uint256).max).
    constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 cap_, address admin)
        ERC20(name_, symbol_, decimals_)
    {
        if (admin == address(0)) revert FungibleTokenInvalidAdmin(address(0));
        _cap = cap_ == 0 ? type(uint256).max : cap_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    /// @notice The largest total supply (type(uint256).max when uncapped).
    function cap() public view returns (uint256) {
        return _cap;
    }

    /// @notice Create `amount` tokens for `to`. MINTER_ROLE only; reverts FungibleTokenCapExceeded past the cap.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @notice Destroy `amount` of the caller's tokens.
    function burn(uint256 amount) external {
        _burn(msg.sender, amount);
    }

    /// @notice Destroy `amount` of `account`'s tokens: BURNER_ROLE holders need no allowance, anyone else spends theirs.
    function burnFrom(address account, uint256 amount) external {
        if (!hasRole(BURNER_ROLE, msg.sender)) _spendAllowance(account, msg.sender, amount);
        _burn(account, amount);
    }

    /// @notice Stop all transfers, mints and burns (approvals stay possible). PAUSER_ROLE only.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resume transfers, mints and burns. PAUSER_ROLE only.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @dev Blocks every balance change while paused and enforces the cap on mints.
    function _update(address from, address to, uint256 value) internal virtual override whenNotPaused {
        if (from == address(0)) {
            uint256 supply = totalSupply();
            if (value > _cap - supply) revert FungibleTokenCapExceeded(supply, value, _cap);
        }
        super._update(from, to, value);
    }
}
