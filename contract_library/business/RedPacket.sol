// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/patterns/PullPayment.sol";

/// @title RedPacket
/// @notice Ether red packets split into equal or random shares, optionally gated by an allow-list or a password, one claim per address, refundable after expiry.
/// @dev Claims and refunds only credit an internal balance; ether leaves the contract through
/// `withdraw` alone (the PullPayment pattern: checks-effects-interactions and a reentrancy lock). For every packet
/// `sum(claims) + refunded == total` holds exactly: every non-last share is at least 1 wei and leaves at
/// least 1 wei for each remaining share, and the last claimer takes the remainder.
///
/// Random split: a share is `1 + r % cap` with `cap = min(2 * remaining / left, remaining - (left - 1))`,
/// where `r = keccak256(prevrandao, timestamp, id, claimer, claimed)`. This is NOT secure randomness:
/// block producers can bias it and any claimer can compute their amount before sending (and pick the
/// block or the account that suits them). Use it for fun packets, never where the split must be fair.
contract RedPacket is PullPayment {
    /// @notice A packet.
    struct Packet {
        address creator;
        bool random;
        bool refunded;
        uint32 shares;
        uint32 claimed;
        uint32 allowListSize;
        uint64 createdAt;
        uint64 expiry;
        bytes32 passwordHash;
        uint256 total;
        uint256 remaining;
        uint256 refundedAmount;
    }

    /// @notice Most shares in one packet.
    uint256 public constant MAX_SHARES = 1000;
    /// @notice Longest allow-list of one packet.
    uint256 public constant MAX_ALLOW_LIST = 500;
    /// @notice Longest lifetime of a packet.
    uint256 public constant MAX_DURATION = 365 days;

    Packet[] private _packets; // index = id - 1
    mapping(uint256 => mapping(address => bool)) private _allowed;
    mapping(uint256 => mapping(address => uint256)) private _claimedAmount;
    mapping(uint256 => address[]) private _claimers;
    mapping(address => uint256[]) private _created;

    /// @notice `creator` funded packet `id` with `total` wei in `shares` shares (`random` split) until `expiry`.
    event PacketCreated(
        uint256 indexed id,
        address indexed creator,
        uint256 total,
        uint256 shares,
        bool random,
        uint64 expiry,
        bool hasPassword,
        address[] allowList
    );
    /// @notice `claimer` claimed `amount` wei from packet `id`; `sharesLeft` shares remain.
    event Claimed(uint256 indexed id, address indexed claimer, uint256 amount, uint256 sharesLeft);
    /// @notice The creator of packet `id` reclaimed the unclaimed `amount` wei.
    event Refunded(uint256 indexed id, address indexed creator, uint256 amount);

    /// @notice Shares must be within 1..MAX_SHARES.
    error InvalidShares(uint256 shares);
    /// @notice The funding must give every share at least 1 wei.
    error InsufficientFunding(uint256 value, uint256 shares);
    /// @notice The expiry must be in the future and at most MAX_DURATION away.
    error InvalidExpiry(uint64 expiry);
    /// @notice The allow-list is longer than MAX_ALLOW_LIST.
    error AllowListTooLong(uint256 length);
    /// @notice The zero address cannot be allow-listed.
    error ZeroAddress();
    /// @notice No packet with id `id`.
    error UnknownPacket(uint256 id);
    /// @notice Packet `id` expired at `expiry`.
    error PacketExpired(uint256 id, uint64 expiry);
    /// @notice Every share of packet `id` is taken.
    error PacketEmpty(uint256 id);
    /// @notice `account` already claimed from packet `id`.
    error AlreadyClaimed(uint256 id, address account);
    /// @notice `account` is not on the allow-list of packet `id`.
    error NotAllowed(uint256 id, address account);
    /// @notice The password does not match the hash of packet `id`.
    error WrongPassword(uint256 id);
    /// @notice Only the creator of packet `id` may do this.
    error NotCreator(uint256 id, address account);
    /// @notice Packet `id` runs until `expiry`.
    error NotExpired(uint256 id, uint64 expiry);
    /// @notice Packet `id` was already refunded.
    error AlreadyRefunded(uint256 id);
    /// @notice Packet `id` has nothing left to refund.
    error NothingToRefund(uint256 id);
    // ---------------------------------------------------------------- creator

    /// @notice Fund a packet of `shares` shares with the sent ether, split equally or at `random`, open until
    /// `expiry`; `passwordHash` = keccak256(password) or zero for none; a non-empty `allowList` limits claimers.
    /// @return id The new packet id (ids start at 1).
    function create(uint256 shares, bool random, uint64 expiry, bytes32 passwordHash, address[] calldata allowList)
        external
        payable
        returns (uint256 id)
    {
        if (shares == 0 || shares > MAX_SHARES) revert InvalidShares(shares);
        if (msg.value < shares) revert InsufficientFunding(msg.value, shares);
        if (expiry <= block.timestamp || expiry > block.timestamp + MAX_DURATION) revert InvalidExpiry(expiry);
        if (allowList.length > MAX_ALLOW_LIST) revert AllowListTooLong(allowList.length);
        id = _packets.length + 1;
        uint256 listed = 0;
        for (uint256 i = 0; i < allowList.length; i++) {
            address a = allowList[i];
            if (a == address(0)) revert ZeroAddress();
            if (!_allowed[id][a]) {
                _allowed[id][a] = true;
                listed++;
            }
        }
        _packets.push(
            Packet({
                creator: msg.sender,
                random: random,
                refunded: false,
                shares: uint32(shares),
                claimed: 0,
                allowListSize: uint32(listed),
                createdAt: uint64(block.timestamp),
                expiry: expiry,
                passwordHash: passwordHash,
                total: msg.value,
                remaining: msg.value,
                refundedAmount: 0
            })
        );
        _created[msg.sender].push(id);
        emit PacketCreated(id, msg.sender, msg.value, shares, random, expiry, passwordHash != bytes32(0), allowList);
    }

    /// @notice Credit the unclaimed rest of packet `id` back to its creator, once it expired. Only the creator.
    function refund(uint256 id) external {
        Packet storage p = _packet(id);
        if (msg.sender != p.creator) revert NotCreator(id, msg.sender);
        if (block.timestamp < p.expiry) revert NotExpired(id, p.expiry);
        if (p.refunded) revert AlreadyRefunded(id);
        uint256 amount = p.remaining;
        if (amount == 0) revert NothingToRefund(id);
        p.refunded = true;
        p.remaining = 0;
        p.refundedAmount = amount;
        _credit(msg.sender, amount);
        emit Refunded(id, msg.sender, amount);
    }

    // ---------------------------------------------------------------- claimers

    /// @notice Claim one share of packet `id` (credited to your balance); `password` is the preimage of its
    /// password hash (ignored when it has none). Once per address, before expiry.
    /// @return amount The wei credited.
    function claim(uint256 id, bytes calldata password) external returns (uint256 amount) {
        Packet storage p = _packet(id);
        if (block.timestamp >= p.expiry) revert PacketExpired(id, p.expiry);
        uint256 left = p.shares - p.claimed;
        if (left == 0) revert PacketEmpty(id);
        if (_claimedAmount[id][msg.sender] != 0) revert AlreadyClaimed(id, msg.sender);
        if (p.allowListSize != 0 && !_allowed[id][msg.sender]) revert NotAllowed(id, msg.sender);
        if (p.passwordHash != bytes32(0) && keccak256(password) != p.passwordHash) revert WrongPassword(id);

        uint256 remaining = p.remaining;
        if (left == 1) {
            amount = remaining;
        } else if (!p.random) {
            amount = p.total / p.shares;
        } else {
            uint256 cap = (remaining * 2) / left;
            uint256 most = remaining - (left - 1);
            if (cap > most) cap = most;
            uint256 r = uint256(keccak256(abi.encode(block.prevrandao, block.timestamp, id, msg.sender, p.claimed)));
            amount = 1 + (r % cap);
        }
        p.claimed += 1;
        p.remaining = remaining - amount;
        _claimedAmount[id][msg.sender] = amount;
        _claimers[id].push(msg.sender);
        _credit(msg.sender, amount);
        emit Claimed(id, msg.sender, amount, left - 1);
    }

    // ---------------------------------------------------------------- views

    /// @notice Number of packets ever created (ids are 1..packetCount).
    function packetCount() external view returns (uint256) {
        return _packets.length;
    }

    /// @notice Packet `id`.
    function getPacket(uint256 id) external view returns (Packet memory) {
        return _packet(id);
    }

    /// @notice The wei `account` claimed from packet `id` (0 = has not claimed).
    function claimedAmount(uint256 id, address account) external view returns (uint256) {
        return _claimedAmount[id][account];
    }

    /// @notice Whether `account` may claim packet `id` under its allow-list (true when it has none).
    function isAllowed(uint256 id, address account) external view returns (bool) {
        return _packet(id).allowListSize == 0 || _allowed[id][account];
    }

    /// @notice Claimers of packet `id` in claim order with their amounts, `limit` of them from `offset`.
    function claimers(uint256 id, uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory accounts, uint256[] memory amounts)
    {
        _packet(id);
        address[] storage c = _claimers[id];
        (uint256 start, uint256 end) = _window(c.length, offset, limit);
        accounts = new address[](end - start);
        amounts = new uint256[](end - start);
        for (uint256 i = start; i < end; i++) {
            accounts[i - start] = c[i];
            amounts[i - start] = _claimedAmount[id][c[i]];
        }
    }

    /// @notice Number of packets `creator` created.
    function packetCountOf(address creator) external view returns (uint256) {
        return _created[creator].length;
    }

    /// @notice Ids of packets `creator` created, `limit` of them from `offset`.
    function packetsOf(address creator, uint256 offset, uint256 limit) external view returns (uint256[] memory page) {
        uint256[] storage ids = _created[creator];
        (uint256 start, uint256 end) = _window(ids.length, offset, limit);
        page = new uint256[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = ids[i];
        }
    }

    /// @notice The password hash to pass to `create` for `password`.
    function hashPassword(bytes calldata password) external pure returns (bytes32) {
        return keccak256(password);
    }

    function _packet(uint256 id) private view returns (Packet storage) {
        if (id == 0 || id > _packets.length) revert UnknownPacket(id);
        return _packets[id - 1];
    }

    function _window(uint256 length, uint256 offset, uint256 limit) private pure returns (uint256, uint256) {
        if (offset >= length) return (length, length);
        return (offset, limit > length - offset ? length : offset + limit);
    }
}
