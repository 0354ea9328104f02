// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

// Makes the token library contracts deployable by name in the library tests, exposes the internals of the
// abstract bases, and provides receiver mocks for the safe-transfer checks.
import "@smartdev/tokens/IERC165.sol";
import "@smartdev/tokens/IERC20.sol";
import "@smartdev/tokens/IERC721.sol";
import "@smartdev/tokens/IERC1155.sol";
import "@smartdev/tokens/ERC20.sol";
import "@smartdev/tokens/ERC721.sol";
import "@smartdev/tokens/ERC1155.sol";
import "@smartdev/tokens/PointsLedger.sol";

/// The bare ERC20 base with its internal functions exposed (no roles, no cap, no pause).
contract TokensERC20Harness is ERC20 {
    constructor(uint8 decimals_) ERC20("Harness", "HRN", decimals_) {}

    function mint(address to, uint256 value) external { _mint(to, value); }
    function burn(address from, uint256 value) external { _burn(from, value); }
    function transferInternal(address from, address to, uint256 value) external { _transfer(from, to, value); }
    function approveInternal(address owner, address spender, uint256 value) external { _approve(owner, spender, value); }
}

/// The bare ERC721 base with its internal functions exposed.
contract TokensERC721Harness is ERC721 {
    constructor() ERC721("Harness", "HNFT") {}

    function mint(address to, uint256 id) external { _mint(to, id); }
    function safeMint(address to, uint256 id, bytes calldata data) external { _safeMint(to, id, data); }
    function burn(uint256 id) external { _burn(id); }
    function transferInternal(address from, address to, uint256 id) external { _transfer(from, to, id); }
}

/// The bare ERC1155 base with its internal functions exposed.
contract TokensERC1155Harness is ERC1155 {
    constructor() ERC1155("ipfs://x/{id}.json") {}

    function mint(address to, uint256 id, uint256 value, bytes calldata data) external { _mint(to, id, value, data); }
    function mintBatch(address to, uint256[] calldata ids, uint256[] calldata values, bytes calldata data) external {
        _mintBatch(to, ids, values, data);
    }
    function burn(address from, uint256 id, uint256 value) external { _burn(from, id, value); }
    function burnBatch(address from, uint256[] calldata ids, uint256[] calldata values) external {
        _burnBatch(from, ids, values);
    }
    function setURI(string calldata u) external { _setURI(u); }
}

/// Reads many balances in one call.
contract TokensReader {
    function erc20Balances(IERC20 token, address[] calldata accounts) external view returns (uint256[] memory out) {
        out = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) out[i] = token.balanceOf(accounts[i]);
    }

    /// allowances[i * n + j] = allowance(accounts[i], accounts[j]).
    function erc20Allowances(IERC20 token, address[] calldata accounts) external view returns (uint256[] memory out) {
        uint256 n = accounts.length;
        out = new uint256[](n * n);
        for (uint256 i = 0; i < n; i++) {
            for (uint256 j = 0; j < n; j++) out[i * n + j] = token.allowance(accounts[i], accounts[j]);
        }
    }

    function supportsAll(IERC165 target, bytes4[] calldata ids) external view returns (bool[] memory out) {
        out = new bool[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) out[i] = target.supportsInterface(ids[i]);
    }

    function points(PointsLedger ledger, address[] calldata members) external view returns (uint256[] memory out) {
        out = new uint256[](members.length);
        for (uint256 i = 0; i < members.length; i++) {
            (uint256 p,,,) = ledger.accountOf(members[i]);
            out[i] = p;
        }
    }
}

/// Receiver behaviours shared by the ERC-721 and ERC-1155 mocks.
abstract contract TokensReceiverBase {
    enum Mode {
        Accept,
        RevertEmpty,
        RevertReason,
        RevertCustom,
        WrongSelector,
        ReturnNothing,
        Reenter
    }

    error TokensReceiverRefused(uint256 code);

    Mode public mode;
    uint256 public calls;
    address public lastOperator;
    address public lastFrom;
    uint256[] internal _lastIds;
    uint256[] internal _lastValues;
    bytes public lastData;
    /// What the receiver observed about its own holdings during the callback (Reenter mode).
    uint256 public observedBalance;
    address public observedOwner;

    constructor(Mode mode_) {
        mode = mode_;
    }

    function setMode(Mode mode_) external { mode = mode_; }

    function lastIds() external view returns (uint256[] memory) { return _lastIds; }
    function lastValues() external view returns (uint256[] memory) { return _lastValues; }

    function _respond(bytes4 selector) internal view returns (bytes4) {
        Mode m = mode;
        if (m == Mode.RevertEmpty) revert();
        if (m == Mode.RevertReason) revert("TokensReceiver: no thanks");
        if (m == Mode.RevertCustom) revert TokensReceiverRefused(7);
        if (m == Mode.WrongSelector) return 0xdeadbeef;
        if (m == Mode.ReturnNothing) {
            assembly {
                return(0, 0)
            }
        }
        return selector;
    }
}

contract TokensERC721Receiver is TokensReceiverBase, IERC721Receiver {
    constructor(Mode mode_) TokensReceiverBase(mode_) {}

    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4)
    {
        calls += 1;
        lastOperator = operator;
        lastFrom = from;
        delete _lastIds;
        _lastIds.push(tokenId);
        lastData = data;
        if (mode == Mode.Reenter) {
            // Checks-effects-interactions: the transfer is complete when we are called; pass the token straight on.
            IERC721 token = IERC721(msg.sender);
            observedOwner = token.ownerOf(tokenId);
            observedBalance = token.balanceOf(address(this));
            token.transferFrom(address(this), from == address(0) ? operator : from, tokenId);
        }
        return _respond(IERC721Receiver.onERC721Received.selector);
    }

    /// Send a token the receiver holds (used to exercise operator/approval paths from a contract).
    function forward(IERC721 token, address to, uint256 tokenId) external {
        token.safeTransferFrom(address(this), to, tokenId);
    }
}

contract TokensERC1155Receiver is TokensReceiverBase, IERC1155Receiver {
    constructor(Mode mode_) TokensReceiverBase(mode_) {}

    function supportsInterface(bytes4 id) external pure returns (bool) {
        return id == type(IERC165).interfaceId || id == type(IERC1155Receiver).interfaceId;
    }

    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external
        returns (bytes4)
    {
        calls += 1;
        lastOperator = operator;
        lastFrom = from;
        delete _lastIds;
        delete _lastValues;
        _lastIds.push(id);
        _lastValues.push(value);
        lastData = data;
        if (mode == Mode.Reenter) {
            IERC1155 token = IERC1155(msg.sender);
            observedBalance = token.balanceOf(address(this), id);
            // pass half on to the sender (or the operator for mints) while still inside the callback
            token.safeTransferFrom(address(this), from == address(0) ? operator : from, id, value / 2, "");
        }
        return _respond(IERC1155Receiver.onERC1155Received.selector);
    }

    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external returns (bytes4) {
        calls += 1;
        lastOperator = operator;
        lastFrom = from;
        _lastIds = ids;
        _lastValues = values;
        lastData = data;
        if (mode == Mode.Reenter) {
            IERC1155 token = IERC1155(msg.sender);
            observedBalance = ids.length == 0 ? 0 : token.balanceOf(address(this), ids[0]);
        }
        return _respond(IERC1155Receiver.onERC1155BatchReceived.selector);
    }
}

/// A contract with no receiver functions and no fallback.
contract TokensNoReceiver {
    uint256 public nothing;
}
