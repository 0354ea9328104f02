// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";
import {EnumerableSet} from "@smartdev/structures/EnumerableSet.sol";

/// @title SupplyChain
/// @notice Product traceability: registered participants create batches, hand over custody by offer and acceptance, and log status updates to an auditable history.
/// @dev Product ids start at 1. Every change to a product appends a Record to its history, so
/// `trace(id)` returns the whole story (who, what, when, where). Registrars (REGISTRAR_ROLE) manage
/// participants; admins (DEFAULT_ADMIN_ROLE) pause and may recall any product.
contract SupplyChain is AccessControl, Pausable {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.UintSet;

    /// @notice What a participant does in the chain.
    enum Role {
        None,
        Producer,
        Processor,
        Logistics,
        Warehouse,
        Retailer
    }

    /// @notice Where a product is in its life. Sold and Recalled are final.
    enum Status {
        None,
        Created,
        Processing,
        InTransit,
        Stored,
        ForSale,
        Sold,
        Recalled
    }

    /// @notice The kind of a history record.
    enum Action {
        Created,
        StatusUpdated,
        CustodyOffered,
        CustodyOfferCancelled,
        CustodyDeclined,
        CustodyAccepted,
        Recalled
    }

    /// @notice A registered participant.
    struct Participant {
        Role role;
        bool active;
        string name;
    }

    /// @notice A product or batch.
    struct Product {
        bytes32 batchCode;
        address producer;
        address custodian;
        address pendingCustodian;
        Status status;
        uint64 createdAt;
        string metadataURI;
    }

    /// @notice One entry of a product's history. `counterparty` is the other side of a custody step.
    struct Record {
        Action action;
        Status status;
        address actor;
        address counterparty;
        uint64 timestamp;
        string location;
        string note;
    }

    /// @notice Role allowed to register and manage participants.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    mapping(address => Participant) private _participants;
    EnumerableSet.AddressSet private _participantSet;
    Product[] private _products; // index = id - 1
    mapping(uint256 => Record[]) private _history;
    mapping(bytes32 => uint256) private _idByBatch;
    mapping(address => EnumerableSet.UintSet) private _custody;

    /// @notice `account` registered as `role` named `name`.
    event ParticipantRegistered(address indexed account, Role role, string name);
    /// @notice `account` now has `role` and `name`.
    event ParticipantUpdated(address indexed account, Role role, string name);
    /// @notice `account` was activated (`active` true) or deactivated.
    event ParticipantActiveSet(address indexed account, bool active);
    /// @notice `producer` created product `id` with `batchCode` and metadata at `metadataURI`.
    event ProductCreated(uint256 indexed id, bytes32 indexed batchCode, address indexed producer, string metadataURI);
    /// @notice `actor` moved product `id` from status `from` to `to` at `location`.
    event StatusUpdated(uint256 indexed id, address indexed actor, Status from, Status to, string location, string note);
    /// @notice `from` offered custody of product `id` to `to`.
    event CustodyOffered(uint256 indexed id, address indexed from, address indexed to);
    /// @notice `from` withdrew its custody offer of product `id` to `to`.
    event CustodyOfferCancelled(uint256 indexed id, address indexed from, address indexed to);
    /// @notice `to` declined the custody offer of product `id` from `from`.
    event CustodyDeclined(uint256 indexed id, address indexed from, address indexed to);
    /// @notice Custody of product `id` moved from `from` to `to`.
    event CustodyTransferred(uint256 indexed id, address indexed from, address indexed to);
    /// @notice `by` recalled product `id`.
    event ProductRecalled(uint256 indexed id, address indexed by, string reason);

    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice Role.None cannot be assigned.
    error InvalidRole();
    /// @notice `account` is already registered.
    error ParticipantExists(address account);
    /// @notice `account` is not a registered participant.
    error UnknownParticipant(address account);
    /// @notice `account` is registered but deactivated.
    error ParticipantInactive(address account);
    /// @notice `account` has role `role`, which may not do this.
    error RoleNotAllowed(address account, Role role);
    /// @notice A batch code must not be zero.
    error ZeroBatchCode();
    /// @notice `batchCode` is already used by another product.
    error BatchCodeTaken(bytes32 batchCode);
    /// @notice No product has `batchCode`.
    error UnknownBatch(bytes32 batchCode);
    /// @notice No product with id `id`.
    error UnknownProduct(uint256 id);
    /// @notice `account` is not the custodian of product `id`.
    error NotCustodian(uint256 id, address account);
    /// @notice `account` has not been offered custody of product `id`.
    error NotPendingCustodian(uint256 id, address account);
    /// @notice Product `id` is in final status `status` (Sold or Recalled).
    error ProductClosed(uint256 id, Status status);
    /// @notice Status `status` cannot be set with updateStatus.
    error InvalidStatus(Status status);
    /// @notice Product `id` cannot go from `from` to `to`.
    error InvalidTransition(uint256 id, Status from, Status to);
    /// @notice Product `id` already has a pending custody offer to `pendingCustodian`.
    error OfferPending(uint256 id, address pendingCustodian);
    /// @notice Product `id` has no pending custody offer.
    error NoPendingOffer(uint256 id);
    /// @notice Custody cannot be offered to `account` (the current custodian).
    error InvalidRecipient(address account);
    /// @notice `account` may not recall product `id` (only its producer or an admin).
    error NotAuthorizedToRecall(uint256 id, address account);

    /// @param admin Receives DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Stop all participant actions (recalls still work). Only admins.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Resume. Only admins.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Register `account` as an active participant with `role` and `name`. Only registrars.
    function registerParticipant(address account, Role role, string calldata name)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        if (account == address(0)) revert ZeroAddress();
        if (role == Role.None) revert InvalidRole();
        if (!_participantSet.add(account)) revert ParticipantExists(account);
        _participants[account] = Participant({role: role, active: true, name: name});
        emit ParticipantRegistered(account, role, name);
    }

    /// @notice Change the role and name of participant `account`. Only registrars.
    function updateParticipant(address account, Role role, string calldata name) external onlyRole(REGISTRAR_ROLE) {
        if (role == Role.None) revert InvalidRole();
        Participant storage p = _participant(account);
        p.role = role;
        p.name = name;
        emit ParticipantUpdated(account, role, name);
    }

    /// @notice Activate or deactivate participant `account` (inactive participants cannot act). Only registrars.
    function setParticipantActive(address account, bool active) external onlyRole(REGISTRAR_ROLE) {
        _participant(account).active = active;
        emit ParticipantActiveSet(account, active);
    }

    // ---------------------------------------------------------------- products

    /// @notice Create a product (status Created, custodian = caller). Only active producers.
    /// @return id The new product id.
    function createProduct(
        bytes32 batchCode,
        string calldata metadataURI,
        string calldata location,
        string calldata note
    ) external whenNotPaused returns (uint256 id) {
        Role role = _activeRole(msg.sender);
        if (role != Role.Producer) revert RoleNotAllowed(msg.sender, role);
        if (batchCode == bytes32(0)) revert ZeroBatchCode();
        if (_idByBatch[batchCode] != 0) revert BatchCodeTaken(batchCode);
        _products.push(
            Product({
                batchCode: batchCode,
                producer: msg.sender,
                custodian: msg.sender,
                pendingCustodian: address(0),
                status: Status.Created,
                createdAt: uint64(block.timestamp),
                metadataURI: metadataURI
            })
        );
        id = _products.length;
        _idByBatch[batchCode] = id;
        _custody[msg.sender].add(id);
        emit ProductCreated(id, batchCode, msg.sender, metadataURI);
        _record(id, Action.Created, Status.Created, address(0), location, note);
    }

    /// @notice Move product `id` to `newStatus` (Processing, InTransit, Stored, ForSale or Sold) at
    /// `location`. Only its active custodian; ForSale and Sold only by a retailer, Sold only from ForSale.
    function updateStatus(uint256 id, Status newStatus, string calldata location, string calldata note)
        external
        whenNotPaused
    {
        Product storage p = _open(id);
        if (msg.sender != p.custodian) revert NotCustodian(id, msg.sender);
        Role role = _activeRole(msg.sender);
        if (newStatus == Status.None || newStatus == Status.Created || newStatus == Status.Recalled) {
            revert InvalidStatus(newStatus);
        }
        Status from = p.status;
        if (newStatus == Status.ForSale || newStatus == Status.Sold) {
            if (role != Role.Retailer) revert RoleNotAllowed(msg.sender, role);
            if (newStatus == Status.Sold) {
                if (from != Status.ForSale) revert InvalidTransition(id, from, newStatus);
                if (p.pendingCustodian != address(0)) revert OfferPending(id, p.pendingCustodian);
            }
        }
        p.status = newStatus;
        emit StatusUpdated(id, msg.sender, from, newStatus, location, note);
        _record(id, Action.StatusUpdated, newStatus, address(0), location, note);
    }

    /// @notice Offer custody of product `id` to active participant `to`; `to` must accept. Only its active custodian.
    function offerCustody(uint256 id, address to, string calldata note) external whenNotPaused {
        Product storage p = _open(id);
        if (msg.sender != p.custodian) revert NotCustodian(id, msg.sender);
        _activeRole(msg.sender);
        _activeRole(to);
        if (to == msg.sender) revert InvalidRecipient(to);
        if (p.pendingCustodian != address(0)) revert OfferPending(id, p.pendingCustodian);
        p.pendingCustodian = to;
        emit CustodyOffered(id, msg.sender, to);
        _record(id, Action.CustodyOffered, p.status, to, "", note);
    }

    /// @notice Withdraw the pending custody offer of product `id`. Only its custodian.
    function cancelCustodyOffer(uint256 id, string calldata note) external whenNotPaused {
        Product storage p = _product(id);
        if (msg.sender != p.custodian) revert NotCustodian(id, msg.sender);
        address to = p.pendingCustodian;
        if (to == address(0)) revert NoPendingOffer(id);
        p.pendingCustodian = address(0);
        emit CustodyOfferCancelled(id, msg.sender, to);
        _record(id, Action.CustodyOfferCancelled, p.status, to, "", note);
    }

    /// @notice Decline the custody offer of product `id`. Only the offered participant.
    function declineCustody(uint256 id, string calldata note) external whenNotPaused {
        Product storage p = _product(id);
        if (msg.sender != p.pendingCustodian) revert NotPendingCustodian(id, msg.sender);
        p.pendingCustodian = address(0);
        emit CustodyDeclined(id, p.custodian, msg.sender);
        _record(id, Action.CustodyDeclined, p.status, p.custodian, "", note);
    }

    /// @notice Accept custody of product `id` at `location`. Only the offered participant, while active.
    function acceptCustody(uint256 id, string calldata location, string calldata note) external whenNotPaused {
        Product storage p = _product(id);
        if (msg.sender != p.pendingCustodian) revert NotPendingCustodian(id, msg.sender);
        _activeRole(msg.sender);
        address from = p.custodian;
        p.custodian = msg.sender;
        p.pendingCustodian = address(0);
        _custody[from].remove(id);
        _custody[msg.sender].add(id);
        emit CustodyTransferred(id, from, msg.sender);
        _record(id, Action.CustodyAccepted, p.status, from, location, note);
    }

    /// @notice Recall product `id` (final; also after sale; clears a pending offer). Only its producer or an admin; works while paused.
    function recall(uint256 id, string calldata reason) external {
        Product storage p = _product(id);
        if (msg.sender != p.producer && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert NotAuthorizedToRecall(id, msg.sender);
        }
        if (p.status == Status.Recalled) revert ProductClosed(id, p.status);
        p.status = Status.Recalled;
        p.pendingCustodian = address(0);
        emit ProductRecalled(id, msg.sender, reason);
        _record(id, Action.Recalled, Status.Recalled, address(0), "", reason);
    }

    // ---------------------------------------------------------------- views

    /// @notice Participant `account` (role None if unregistered).
    function participant(address account) external view returns (Participant memory) {
        return _participants[account];
    }

    /// @notice Whether `account` is registered and active.
    function isActiveParticipant(address account) external view returns (bool) {
        return _participants[account].active;
    }

    /// @notice Number of registered participants.
    function participantCount() external view returns (uint256) {
        return _participantSet.length();
    }

    /// @notice Registered participants, `limit` of them from `offset`.
    function participants(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        (uint256 start, uint256 end) = _window(_participantSet.length(), offset, limit);
        page = new address[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = _participantSet.at(i);
        }
    }

    /// @notice Number of products ever created (ids are 1..productCount).
    function productCount() external view returns (uint256) {
        return _products.length;
    }

    /// @notice Product `id`.
    function getProduct(uint256 id) external view returns (Product memory) {
        return _product(id);
    }

    /// @notice The id of the product with `batchCode`.
    function productIdOf(bytes32 batchCode) external view returns (uint256 id) {
        id = _idByBatch[batchCode];
        if (id == 0) revert UnknownBatch(batchCode);
    }

    /// @notice The full history of product `id`, oldest first.
    function trace(uint256 id) external view returns (Record[] memory) {
        _product(id);
        return _history[id];
    }

    /// @notice Number of history records of product `id`.
    function historyLength(uint256 id) external view returns (uint256) {
        _product(id);
        return _history[id].length;
    }

    /// @notice History records of product `id`, `limit` of them from `offset`.
    function history(uint256 id, uint256 offset, uint256 limit) external view returns (Record[] memory page) {
        _product(id);
        Record[] storage h = _history[id];
        (uint256 start, uint256 end) = _window(h.length, offset, limit);
        page = new Record[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = h[i];
        }
    }

    /// @notice Number of products in the custody of `account`.
    function custodyCount(address account) external view returns (uint256) {
        return _custody[account].length();
    }

    /// @notice Ids of products in the custody of `account`, `limit` of them from `offset` (order changes on hand-over).
    function productsInCustody(address account, uint256 offset, uint256 limit)
        external
        view
        returns (uint256[] memory page)
    {
        EnumerableSet.UintSet storage s = _custody[account];
        (uint256 start, uint256 end) = _window(s.length(), offset, limit);
        page = new uint256[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = s.at(i);
        }
    }

    // ---------------------------------------------------------------- internals

    function _participant(address account) private view returns (Participant storage p) {
        p = _participants[account];
        if (p.role == Role.None) revert UnknownParticipant(account);
    }

    function _activeRole(address account) private view returns (Role) {
        Participant storage p = _participant(account);
        if (!p.active) revert ParticipantInactive(account);
        return p.role;
    }

    function _product(uint256 id) private view returns (Product storage) {
        if (id == 0 || id > _products.length) revert UnknownProduct(id);
        return _products[id - 1];
    }

    function _open(uint256 id) private view returns (Product storage p) {
        p = _product(id);
        if (p.status == Status.Sold || p.status == Status.Recalled) revert ProductClosed(id, p.status);
    }

    function _record(
        uint256 id,
        Action action,
        Status status,
        address counterparty,
        string memory location,
        string memory note
    ) private {
        _history[id].push(
            Record({
                action: action,
                status: status,
                actor: msg.sender,
                counterparty: counterparty,
                timestamp: uint64(block.timestamp),
                location: location,
                note: note
            })
        );
    }

    function _window(uint256 length, uint256 offset, uint256 limit) private pure returns (uint256, uint256) {
        if (offset >= length) return (length, length);
        return (offset, limit > length - offset ? length : offset + limit);
    }
}
