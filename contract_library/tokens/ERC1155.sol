// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/tokens/IERC1155.sol";
import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";

/// @title ERC1155
/// @notice ERC-1155 multi-token base (batch transfers, receiver checks, per-id supply, `{id}` URIs) plus MultiToken: role-gated mint/burn, pausable.
/// @dev Every balance change goes through `_update(from, to, ids, values)` (`from` zero = mint, `to` zero = burn),
///      the one hook to override for pausing or bookkeeping; it emits no event, its callers do. Functions taking
///      one id emit TransferSingle and call `onERC1155Received`; batch functions emit TransferBatch (even for a
///      single id) and call `onERC1155BatchReceived`. Receiver hooks run after all state changes
///      (checks-effects-interactions) and apply to mints as well as transfers; a receiver's revert reason is
///      passed on unchanged.
abstract contract ERC1155 is IERC1155MetadataURI {
    mapping(uint256 => mapping(address => uint256)) private _balances;
    mapping(uint256 => uint256) private _totalSupply;
    mapping(address => mapping(address => bool)) private _operatorApprovals;
    string private _uri;

    /// @notice `sender` holds `balance` of token `tokenId` but `needed` are required.
    error ERC1155InsufficientBalance(address sender, uint256 balance, uint256 needed, uint256 tokenId);
    /// @notice Tokens cannot be sent from `sender` (the zero address).
    error ERC1155InvalidSender(address sender);
    /// @notice `receiver` cannot receive tokens (the zero address, or a contract that did not accept).
    error ERC1155InvalidReceiver(address receiver);
    /// @notice `operator` is neither `owner` nor an approved operator of `owner`.
    error ERC1155MissingApprovalForAll(address operator, address owner);
    /// @notice `operator` (the zero address) cannot be made an operator.
    error ERC1155InvalidOperator(address operator);
    /// @notice Paired arrays differ in length (ids vs values, or accounts vs ids).
    error ERC1155InvalidArrayLength(uint256 idsLength, uint256 valuesLength);

    /// @param uri_ The URI template for all ids; clients replace `{id}` with the id in 64 lowercase hex digits.
    constructor(string memory uri_) {
        _uri = uri_;
    }

    // ---------------------------------------------------------------- views

    /// @notice ERC-165: true for IERC165 (0x01ffc9a7), IERC1155 (0xd9b67a26) and IERC1155MetadataURI (0x0e89341c).
    function supportsInterface(bytes4 interfaceId) public view virtual returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC1155).interfaceId
            || interfaceId == type(IERC1155MetadataURI).interfaceId;
    }

    /// @notice The URI template shared by all ids (the `{id}` placeholder is substituted by clients, not here).
    function uri(uint256) public view virtual returns (string memory) {
        return _uri;
    }

    /// @notice The balance of token `id` held by `account`.
    function balanceOf(address account, uint256 id) public view virtual returns (uint256) {
        return _balances[id][account];
    }

    /// @notice The balances of `ids[i]` held by `accounts[i]`; the arrays must have equal lengths.
    function balanceOfBatch(address[] memory accounts, uint256[] memory ids)
        public
        view
        virtual
        returns (uint256[] memory balances)
    {
        if (accounts.length != ids.length) revert ERC1155InvalidArrayLength(ids.length, accounts.length);
        balances = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) {
            balances[i] = _balances[ids[i]][accounts[i]];
        }
    }

    /// @notice The amount of token `id` in existence.
    function totalSupply(uint256 id) public view virtual returns (uint256) {
        return _totalSupply[id];
    }

    /// @notice Whether any of token `id` is in existence.
    function exists(uint256 id) public view virtual returns (bool) {
        return _totalSupply[id] > 0;
    }

    /// @notice Whether `operator` may manage all tokens of `account`.
    function isApprovedForAll(address account, address operator) public view virtual returns (bool) {
        return _operatorApprovals[account][operator];
    }

    // ---------------------------------------------------------------- ERC-1155

    /// @notice Allow (`approved` true) or disallow `operator` to manage all of the caller's tokens.
    function setApprovalForAll(address operator, bool approved) public virtual {
        if (operator == address(0)) revert ERC1155InvalidOperator(address(0));
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @notice Move `value` of token `id` from `from` to `to`. `from` or its operator; a contract `to` must accept.
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes memory data)
        public
        virtual
    {
        _checkOperator(from);
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        // unreachable unless an override of isApprovedForAll approves operators of the zero address, in which
        // case a transfer "from" zero would mint
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
        _updateSingle(from, to, id, value, data);
    }

    /// @notice Move `values[i]` of token `ids[i]` from `from` to `to`. `from` or its operator; a contract `to` must accept.
    function safeBatchTransferFrom(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values,
        bytes memory data
    ) public virtual {
        _checkOperator(from);
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
        _updateBatch(from, to, ids, values, data);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Revert ERC1155MissingApprovalForAll unless the caller is `owner` or its operator.
    function _checkOperator(address owner) internal view virtual {
        if (owner != msg.sender && !isApprovedForAll(owner, msg.sender)) {
            revert ERC1155MissingApprovalForAll(msg.sender, owner);
        }
    }

    /// @dev Replace the URI template (emits nothing: the URI event is per id; see the doc page).
    function _setURI(string memory newUri) internal virtual {
        _uri = newUri;
    }

    /// @dev Create `value` of `id` for `to` (not zero); TransferSingle(operator, 0, to, …) and the receiver check.
    function _mint(address to, uint256 id, uint256 value, bytes memory data) internal virtual {
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        _updateSingle(address(0), to, id, value, data);
    }

    /// @dev Create `values[i]` of `ids[i]` for `to` (not zero); TransferBatch and the batch receiver check.
    function _mintBatch(address to, uint256[] memory ids, uint256[] memory values, bytes memory data)
        internal
        virtual
    {
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        _updateBatch(address(0), to, ids, values, data);
    }

    /// @dev Destroy `value` of `from`'s `id` (no authorization check); emits TransferSingle(operator, from, 0, …).
    function _burn(address from, uint256 id, uint256 value) internal virtual {
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
        _updateSingle(from, address(0), id, value, "");
    }

    /// @dev Destroy `values[i]` of `from`'s `ids[i]` (no authorization check); emits TransferBatch(operator, from, 0, …).
    function _burnBatch(address from, uint256[] memory ids, uint256[] memory values) internal virtual {
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
        _updateBatch(from, address(0), ids, values, "");
    }

    /// @dev One id: update balances, emit TransferSingle, then run the receiver check (when `to` is not zero).
    function _updateSingle(address from, address to, uint256 id, uint256 value, bytes memory data) private {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory values = new uint256[](1);
        ids[0] = id;
        values[0] = value;
        _update(from, to, ids, values);
        emit TransferSingle(msg.sender, from, to, id, value);
        if (to != address(0)) _checkOnERC1155Received(msg.sender, from, to, id, value, data);
    }

    /// @dev Several ids: update balances, emit TransferBatch, then run the batch receiver check (when `to` is not zero).
    function _updateBatch(address from, address to, uint256[] memory ids, uint256[] memory values, bytes memory data)
        private
    {
        _update(from, to, ids, values);
        emit TransferBatch(msg.sender, from, to, ids, values);
        if (to != address(0)) _checkOnERC1155BatchReceived(msg.sender, from, to, ids, values, data);
    }

    /// @dev The single place where balances and supplies change: `from` zero mints, `to` zero burns. Emits no
    ///      event (its callers emit TransferSingle or TransferBatch). Overrides must call super._update.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal virtual {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        for (uint256 i = 0; i < ids.length; i++) {
            uint256 id = ids[i];
            uint256 value = values[i];
            if (from == address(0)) {
                _totalSupply[id] += value; // checked: reverts with a panic on overflow
            } else {
                uint256 balance = _balances[id][from];
                if (balance < value) revert ERC1155InsufficientBalance(from, balance, value, id);
                unchecked {
                    _balances[id][from] = balance - value;
                }
            }
            unchecked {
                if (to == address(0)) {
                    _totalSupply[id] -= value; // value <= balance of `from` <= supply of `id`
                } else {
                    _balances[id][to] += value; // balances of `id` sum to at most its supply
                }
            }
        }
    }

    /// @dev If `to` is a contract, call onERC1155Received and require its selector. A revert with data is
    ///      re-thrown as is; a revert without data, a short or a wrong return value revert ERC1155InvalidReceiver(to).
    function _checkOnERC1155Received(
        address operator,
        address from,
        address to,
        uint256 id,
        uint256 value,
        bytes memory data
    ) private {
        if (to.code.length == 0) return;
        _checkAcceptance(
            to,
            abi.encodeCall(IERC1155Receiver.onERC1155Received, (operator, from, id, value, data)),
            IERC1155Receiver.onERC1155Received.selector
        );
    }

    /// @dev Batch version of `_checkOnERC1155Received` (onERC1155BatchReceived).
    function _checkOnERC1155BatchReceived(
        address operator,
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values,
        bytes memory data
    ) private {
        if (to.code.length == 0) return;
        _checkAcceptance(
            to,
            abi.encodeCall(IERC1155Receiver.onERC1155BatchReceived, (operator, from, ids, values, data)),
            IERC1155Receiver.onERC1155BatchReceived.selector
        );
    }

    function _checkAcceptance(address to, bytes memory callData, bytes4 expected) private {
        (bool ok, bytes memory ret) = to.call(callData);
        if (!ok) {
            if (ret.length == 0) revert ERC1155InvalidReceiver(to);
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (ret.length < 32 || bytes32(ret) != bytes32(expected)) revert ERC1155InvalidReceiver(to);
    }
}

/// @notice A ready-to-deploy ERC-1155 collection: MINTER_ROLE mints (single and batch), holders (or their operators)
///         and BURNER_ROLE burn, the admin sets the URI template and per-id URIs, PAUSER_ROLE freezes all balance changes.
/// @dev The constructor grants `admin` DEFAULT_ADMIN_ROLE, MINTER_ROLE and PAUSER_ROLE — not BURNER_ROLE, which can
///      destroy anyone's tokens and must be granted deliberately.
contract MultiToken is ERC1155, AccessControl, Pausable {
    /// @notice May mint new tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice May burn tokens from any account without being an operator.
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    /// @notice May pause and unpause all transfers, mints and burns.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    mapping(uint256 => string) private _tokenURIs;

    /// @notice The URI template for ids without their own URI is now `template`.
    event DefaultURIChanged(string template);

    /// @notice The admin cannot be the zero address.
    error MultiTokenInvalidAdmin(address admin);

    /// @param uri_ URI template for all ids, e.g. "https://example.org/items/{id}.json".
    constructor(string memory uri_, address admin) ERC1155(uri_) {
        if (admin == address(0)) revert MultiTokenInvalidAdmin(address(0));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        emit DefaultURIChanged(uri_);
    }

    /// @notice The URI of `id`: its own URI when set (used as is), else the shared `{id}` template.
    function uri(uint256 id) public view override returns (string memory) {
        string memory own = _tokenURIs[id];
        return bytes(own).length > 0 ? own : super.uri(id);
    }

    /// @notice Create `value` of token `id` for `to`; a contract `to` must accept. MINTER_ROLE only.
    function mint(address to, uint256 id, uint256 value, bytes calldata data) external onlyRole(MINTER_ROLE) {
        _mint(to, id, value, data);
    }

    /// @notice Create `values[i]` of token `ids[i]` for `to`; a contract `to` must accept. MINTER_ROLE only.
    function mintBatch(address to, uint256[] calldata ids, uint256[] calldata values, bytes calldata data)
        external
        onlyRole(MINTER_ROLE)
    {
        _mintBatch(to, ids, values, data);
    }

    /// @notice Destroy `value` of `account`'s token `id`. The account, its operator, or a BURNER_ROLE holder.
    function burn(address account, uint256 id, uint256 value) external {
        _checkBurner(account);
        _burn(account, id, value);
    }

    /// @notice Destroy `values[i]` of `account`'s token `ids[i]`. The account, its operator, or a BURNER_ROLE holder.
    function burnBatch(address account, uint256[] calldata ids, uint256[] calldata values) external {
        _checkBurner(account);
        _burnBatch(account, ids, values);
    }

    /// @notice Set the URI template used by ids without their own URI. DEFAULT_ADMIN_ROLE only.
    function setURI(string calldata template) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setURI(template);
        emit DefaultURIChanged(template);
    }

    /// @notice Give token `id` its own URI (used as is; "" returns it to the template); emits URI. DEFAULT_ADMIN_ROLE only.
    function setTokenURI(uint256 id, string calldata tokenUri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _tokenURIs[id] = tokenUri;
        emit URI(uri(id), id);
    }

    /// @notice Stop all transfers, mints and burns (approvals stay possible). PAUSER_ROLE only.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resume transfers, mints and burns. PAUSER_ROLE only.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _checkBurner(address account) private view {
        if (account != msg.sender && !isApprovedForAll(account, msg.sender) && !hasRole(BURNER_ROLE, msg.sender)) {
            revert ERC1155MissingApprovalForAll(msg.sender, account);
        }
    }

    /// @dev Blocks every balance change while paused.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values)
        internal
        virtual
        override
        whenNotPaused
    {
        super._update(from, to, ids, values);
    }
}
