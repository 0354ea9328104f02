// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/tokens/IERC721.sol";
import "@smartdev/base/Strings.sol";
import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";

/// @title ERC721
/// @notice ERC-721 NFT base (safe transfers with the receiver check, ERC-165, base-URI metadata) plus NonFungibleToken: role-gated mint/burn, pausable.
/// @dev Every ownership change goes through `_update(from, to, tokenId)` (`from` zero = mint, `to` zero = burn),
///      the one hook to override for pausing or bookkeeping. Safe transfers call `onERC721Received` on contract
///      receivers only after all state changes (checks-effects-interactions), so a re-entering receiver sees the
///      final state. A receiver's revert reason is passed on unchanged.
abstract contract ERC721 is IERC721Metadata {
    using Strings for uint256;

    string private _name;
    string private _symbol;
    mapping(uint256 => address) private _owners;
    mapping(address => uint256) private _balances;
    mapping(uint256 => address) private _tokenApprovals;
    mapping(address => mapping(address => bool)) private _operatorApprovals;

    /// @notice The zero address owns nothing and cannot be asked for a balance.
    error ERC721InvalidOwner(address owner);
    /// @notice Token `tokenId` does not exist.
    error ERC721NonexistentToken(uint256 tokenId);
    /// @notice Token `tokenId` already exists.
    error ERC721TokenExists(uint256 tokenId);
    /// @notice `sender` is not the owner of `tokenId`; `owner` is.
    error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
    /// @notice `receiver` cannot receive tokens (the zero address, or a contract that did not accept).
    error ERC721InvalidReceiver(address receiver);
    /// @notice `operator` is neither the owner of `tokenId`, nor approved for it, nor an operator of the owner.
    error ERC721InsufficientApproval(address operator, uint256 tokenId);
    /// @notice `approver` is neither the owner of the token nor an operator of the owner.
    error ERC721InvalidApprover(address approver);
    /// @notice `operator` (the zero address) cannot be made an operator.
    error ERC721InvalidOperator(address operator);

    constructor(string memory name_, string memory symbol_) {
        _name = name_;
        _symbol = symbol_;
    }

    // ---------------------------------------------------------------- views

    /// @notice ERC-165: true for IERC165 (0x01ffc9a7), IERC721 (0x80ac58cd) and IERC721Metadata (0x5b5e139f).
    function supportsInterface(bytes4 interfaceId) public view virtual returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC721).interfaceId
            || interfaceId == type(IERC721Metadata).interfaceId;
    }

    /// @notice The collection name.
    function name() public view virtual returns (string memory) {
        return _name;
    }

    /// @notice The collection symbol.
    function symbol() public view virtual returns (string memory) {
        return _symbol;
    }

    /// @notice The base URI followed by the decimal `tokenId`, or "" when no base URI is set. Reverts for unknown tokens.
    function tokenURI(uint256 tokenId) public view virtual returns (string memory) {
        _requireOwned(tokenId);
        string memory base = _baseURI();
        return bytes(base).length == 0 ? "" : string.concat(base, tokenId.toString());
    }

    /// @notice The number of tokens owned by `owner` (reverts ERC721InvalidOwner for the zero address).
    function balanceOf(address owner) public view virtual returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _balances[owner];
    }

    /// @notice The owner of `tokenId` (reverts ERC721NonexistentToken for unknown tokens).
    function ownerOf(uint256 tokenId) public view virtual returns (address) {
        return _requireOwned(tokenId);
    }

    /// @notice The approved address of `tokenId` (zero if none; reverts for unknown tokens).
    function getApproved(uint256 tokenId) public view virtual returns (address) {
        _requireOwned(tokenId);
        return _tokenApprovals[tokenId];
    }

    /// @notice Whether `operator` may manage all tokens of `owner`.
    function isApprovedForAll(address owner, address operator) public view virtual returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    // ---------------------------------------------------------------- ERC-721

    /// @notice Set the approved address of `tokenId` to `to` (zero clears it). Token owner or its operator only.
    function approve(address to, uint256 tokenId) public virtual {
        address owner = _requireOwned(tokenId);
        if (msg.sender != owner && !isApprovedForAll(owner, msg.sender)) revert ERC721InvalidApprover(msg.sender);
        _tokenApprovals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @notice Allow (`approved` true) or disallow `operator` to manage all of the caller's tokens.
    function setApprovalForAll(address operator, bool approved) public virtual {
        if (operator == address(0)) revert ERC721InvalidOperator(address(0));
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @notice Transfer `tokenId` from `from` to `to` without the receiver check. Owner, approved address or operator.
    function transferFrom(address from, address to, uint256 tokenId) public virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address owner = _requireOwned(tokenId);
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        if (!_isAuthorized(owner, msg.sender, tokenId)) revert ERC721InsufficientApproval(msg.sender, tokenId);
        _update(from, to, tokenId);
    }

    /// @notice Transfer `tokenId` from `from` to `to`, checking a contract receiver accepts it (empty data).
    function safeTransferFrom(address from, address to, uint256 tokenId) public virtual {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @notice Transfer `tokenId` from `from` to `to`; a contract `to` must return the onERC721Received selector.
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public virtual {
        transferFrom(from, to, tokenId);
        _checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    // ---------------------------------------------------------------- internals

    /// @dev The owner of `tokenId`, reverting ERC721NonexistentToken when there is none.
    function _requireOwned(uint256 tokenId) internal view returns (address owner) {
        owner = _owners[tokenId];
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
    }

    /// @dev The owner of `tokenId`, or zero when it does not exist.
    function _ownerOf(uint256 tokenId) internal view virtual returns (address) {
        return _owners[tokenId];
    }

    /// @dev Whether `spender` may move `owner`'s `tokenId`: it is the owner, an operator of the owner, or approved.
    function _isAuthorized(address owner, address spender, uint256 tokenId) internal view virtual returns (bool) {
        return spender == owner || isApprovedForAll(owner, spender) || _tokenApprovals[tokenId] == spender;
    }

    /// @dev Prefix of every token URI; empty (no URIs) unless overridden.
    function _baseURI() internal view virtual returns (string memory) {
        return "";
    }

    /// @dev Create `tokenId` for `to` without the receiver check; emits Transfer(0, to, tokenId).
    function _mint(address to, uint256 tokenId) internal virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        if (_owners[tokenId] != address(0)) revert ERC721TokenExists(tokenId);
        _update(address(0), to, tokenId);
    }

    /// @dev `_mint`, then require a contract `to` to accept the token via onERC721Received (operator = msg.sender).
    function _safeMint(address to, uint256 tokenId, bytes memory data) internal virtual {
        _mint(to, tokenId);
        _checkOnERC721Received(msg.sender, address(0), to, tokenId, data);
    }

    /// @dev Destroy `tokenId` (no authorization check); emits Transfer(owner, 0, tokenId).
    function _burn(uint256 tokenId) internal virtual {
        _update(_requireOwned(tokenId), address(0), tokenId);
    }

    /// @dev Move `tokenId` from `from` to `to` (no authorization check; `from` must be the owner).
    function _transfer(address from, address to, uint256 tokenId) internal virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        address owner = _requireOwned(tokenId);
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        _update(from, to, tokenId);
    }

    /// @dev The single place where ownership changes: `from` zero mints, `to` zero burns. Callers have checked
    ///      that `from` is the current owner (zero for a new token). Clears the token's approval (the Transfer
    ///      event signals that, no Approval event is emitted). Overrides must call super._update.
    function _update(address from, address to, uint256 tokenId) internal virtual {
        unchecked {
            // a balance is at most the number of tokens ever minted, far below 2**256
            if (from != address(0)) {
                delete _tokenApprovals[tokenId];
                _balances[from] -= 1;
            }
            if (to != address(0)) _balances[to] += 1;
        }
        _owners[tokenId] = to;
        emit Transfer(from, to, tokenId);
    }

    /// @dev If `to` is a contract, call its onERC721Received and require the magic value. A revert with data is
    ///      re-thrown as is; a revert without data, a short or a wrong return value revert ERC721InvalidReceiver(to).
    function _checkOnERC721Received(address operator, address from, address to, uint256 tokenId, bytes memory data)
        internal
        virtual
    {
        if (to.code.length == 0) return;
        (bool ok, bytes memory ret) =
            to.call(abi.encodeCall(IERC721Receiver.onERC721Received, (operator, from, tokenId, data)));
        if (!ok) {
            if (ret.length == 0) revert ERC721InvalidReceiver(to);
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (ret.length < 32 || bytes32(ret) != bytes32(IERC721Receiver.onERC721Received.selector)) {
            revert ERC721InvalidReceiver(to);
        }
    }
}

/// @notice A ready-to-deploy ERC-721 collection: MINTER_ROLE mints, owners (or their approved/operators) and BURNER_ROLE
///         burn, the admin sets the base URI, PAUSER_ROLE freezes all transfers, mints and burns.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE, MINTER_ROLE and PAUSER_ROLE — not BURNER_ROLE, which can
///      destroy anyone's tokens and must be granted deliberately.
contract NonFungibleToken is ERC721, AccessControl, Pausable {
    /// @notice May mint new tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice May burn any token without being approved.
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    /// @notice May pause and unpause all transfers, mints and burns.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    string private _base;

    /// @notice The base URI (prefix of every tokenURI) is now `baseURI`.
    event BaseURIChanged(string baseURI);

    /// @notice The admin cannot be the zero address.
    error NonFungibleTokenInvalidAdmin(address admin);

    constructor(string memory name_, string memory symbol_, string memory baseURI_, address admin)
        ERC721(name_, symbol_)
    {
        if (admin == address(0)) revert NonFungibleTokenInvalidAdmin(address(0));
        _base = baseURI_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        emit BaseURIChanged(baseURI_);
    }

    /// @notice The prefix of every tokenURI ("" = no URIs).
    function baseURI() external view returns (string memory) {
        return _base;
    }

    /// @notice Whether token `tokenId` exists.
    function exists(uint256 tokenId) external view returns (bool) {
        return _ownerOf(tokenId) != address(0);
    }

    /// @notice Create `tokenId` for `to` without the receiver check. MINTER_ROLE only.
    function mint(address to, uint256 tokenId) external onlyRole(MINTER_ROLE) {
        _mint(to, tokenId);
    }

    /// @notice Create `tokenId` for `to`; a contract `to` must accept it via onERC721Received(`data`). MINTER_ROLE only.
    function safeMint(address to, uint256 tokenId, bytes calldata data) external onlyRole(MINTER_ROLE) {
        _safeMint(to, tokenId, data);
    }

    /// @notice Destroy `tokenId`. Its owner, approved address or operator, or a BURNER_ROLE holder.
    function burn(uint256 tokenId) external {
        address owner = _requireOwned(tokenId);
        if (!_isAuthorized(owner, msg.sender, tokenId) && !hasRole(BURNER_ROLE, msg.sender)) {
            revert ERC721InsufficientApproval(msg.sender, tokenId);
        }
        _update(owner, address(0), tokenId);
    }

    /// @notice Set the base URI to `newBaseURI` (tokenURI = base + decimal id). DEFAULT_ADMIN_ROLE only.
    function setBaseURI(string calldata newBaseURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _base = newBaseURI;
        emit BaseURIChanged(newBaseURI);
    }

    /// @notice Stop all transfers, mints and burns (approvals stay possible). PAUSER_ROLE only.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resume transfers, mints and burns. PAUSER_ROLE only.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _baseURI() internal view override returns (string memory) {
        return _base;
    }

    /// @dev Blocks every ownership change while paused.
    function _update(address from, address to, uint256 tokenId) internal virtual override whenNotPaused {
        super._update(from, to, tokenId);
    }
}
