// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/Ownable2Step.sol";
import "@smartdev/access/Pausable.sol";
import "@smartdev/patterns/PullPayment.sol";

/// @title Bill
/// @notice Bills of exchange: issue, acceptance by the payer, two-step endorsement, splitting, and settlement at maturity in ether or by off-chain confirmation.
/// @dev Status machine (ids start at 1):
///   Issued --accept(payer)--> Accepted --pay(payer, ether) / confirmSettlement(holder)--> Settled
///   Issued --reject(payer)--> Rejected;  Issued --cancel(drawer)--> Cancelled
///   Accepted --split(holder)--> Split (the parent closes; its children start Accepted)
/// Endorsement is two-step while Accepted: the holder offers, the endorsee accepts (or declines; the
/// holder may withdraw the offer). Settlement needs `block.timestamp >= dueDate`. Ether payments are
/// credited to the holder and leave through `withdraw` (the PullPayment pattern, with a reentrancy lock). The
/// owner can pause everything but withdrawals. Every step appends an Entry to the bill's history.
contract Bill is Ownable2Step, Pausable, PullPayment {
    /// @notice Where a bill is. Rejected, Cancelled, Split and Settled are final.
    enum Status {
        None,
        Issued,
        Accepted,
        Rejected,
        Cancelled,
        Split,
        Settled
    }

    /// @notice The kind of a history entry.
    enum Action {
        Issued,
        Accepted,
        Rejected,
        Cancelled,
        EndorsementOffered,
        EndorsementCancelled,
        EndorsementDeclined,
        Endorsed,
        Split,
        SplitFrom,
        SettledOnChain,
        SettledOffChain
    }

    /// @notice A bill. `parentId` is the bill it was split from (0 = none).
    struct BillInfo {
        address drawer;
        address payer;
        address holder;
        address pendingHolder;
        Status status;
        uint64 issuedAt;
        uint64 dueDate;
        uint256 amount;
        uint256 parentId;
        bytes32 documentHash;
        bytes32 settlementRef;
    }

    /// @notice One history entry: `counterparty`, `amount` and `ref` depend on the action
    /// (endorsee/previous holder, bill or child amount, reason / payment reference / related bill id).
    struct Entry {
        Action action;
        address actor;
        address counterparty;
        uint64 timestamp;
        uint256 amount;
        bytes32 ref;
    }

    /// @notice Most pieces of one split.
    uint256 public constant MAX_SPLIT = 10;

    BillInfo[] private _bills; // index = id - 1
    mapping(uint256 => Entry[]) private _history;
    mapping(address => uint256[]) private _billsOf;
    mapping(address => mapping(uint256 => bool)) private _involved;

    /// @notice `drawer` issued bill `id` on `payer` for `holder`: `amount` due at `dueDate`.
    event BillIssued(
        uint256 indexed id,
        address indexed drawer,
        address indexed payer,
        address holder,
        uint256 amount,
        uint64 dueDate,
        bytes32 documentHash
    );
    /// @notice The payer accepted bill `id`.
    event BillAccepted(uint256 indexed id, address indexed payer);
    /// @notice The payer rejected bill `id` for `reason`.
    event BillRejected(uint256 indexed id, address indexed payer, bytes32 reason);
    /// @notice The drawer cancelled bill `id`.
    event BillCancelled(uint256 indexed id, address indexed drawer);
    /// @notice Holder `from` offered bill `id` to `to`.
    event EndorsementOffered(uint256 indexed id, address indexed from, address indexed to);
    /// @notice The endorsement of bill `id` from `from` to `to` was withdrawn (by `from`, or on settlement).
    event EndorsementCancelled(uint256 indexed id, address indexed from, address indexed to);
    /// @notice `to` declined the endorsement of bill `id` from `from`.
    event EndorsementDeclined(uint256 indexed id, address indexed from, address indexed to);
    /// @notice Bill `id` moved from holder `from` to holder `to`.
    event BillEndorsed(uint256 indexed id, address indexed from, address indexed to);
    /// @notice Bill `id` was split into `childIds` with `amounts`.
    event BillSplit(uint256 indexed id, uint256[] childIds, uint256[] amounts);
    /// @notice Bill `id` was settled: `amount` to `holder`, `onChain` (ether) or confirmed off-chain with `ref`.
    event BillSettled(uint256 indexed id, address indexed holder, uint256 amount, bool onChain, bytes32 ref);

    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice A bill amount must be positive.
    error ZeroAmount();
    /// @notice The due date must be in the future.
    error InvalidDueDate(uint64 dueDate);
    /// @notice No bill with id `id`.
    error UnknownBill(uint256 id);
    /// @notice Bill `id` is `current` but this needs `required`.
    error WrongStatus(uint256 id, Status current, Status required);
    /// @notice Only the payer of bill `id` may do this.
    error NotPayer(uint256 id, address account);
    /// @notice Only the drawer of bill `id` may do this.
    error NotDrawer(uint256 id, address account);
    /// @notice Only the holder of bill `id` may do this.
    error NotHolder(uint256 id, address account);
    /// @notice Only the pending endorsee of bill `id` may do this.
    error NotPendingHolder(uint256 id, address account);
    /// @notice Bill `id` cannot be endorsed to `account` (zero or the holder).
    error InvalidEndorsee(uint256 id, address account);
    /// @notice Bill `id` has a pending endorsement to `pendingHolder`.
    error EndorsementPending(uint256 id, address pendingHolder);
    /// @notice Bill `id` has no pending endorsement.
    error NoPendingEndorsement(uint256 id);
    /// @notice A split needs 2..MAX_SPLIT positive amounts adding up to the bill amount.
    error InvalidSplit(uint256 id);
    /// @notice Bill `id` falls due at `dueDate`.
    error NotDue(uint256 id, uint64 dueDate);
    /// @notice Bill `id` needs exactly `required` wei, not `sent`.
    error WrongPayment(uint256 id, uint256 sent, uint256 required);
    /// @param initialOwner May pause and unpause.
    constructor(address initialOwner) Ownable2Step(initialOwner) {}

    /// @notice Stop every bill operation (withdrawals still work). Only the owner.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Resume. Only the owner.
    function unpause() external onlyOwner {
        _unpause();
    }

    // ---------------------------------------------------------------- lifecycle

    /// @notice Draw a bill on `payer` for `holder`: `amount` (wei if settled in ether) due at `dueDate`,
    /// `documentHash` of the underlying papers. The caller is the drawer.
    /// @return id The new bill id.
    function issue(address payer, address holder, uint256 amount, uint64 dueDate, bytes32 documentHash)
        external
        whenNotPaused
        returns (uint256 id)
    {
        if (payer == address(0) || holder == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        if (dueDate <= block.timestamp) revert InvalidDueDate(dueDate);
        id = _store(
            BillInfo({
                drawer: msg.sender,
                payer: payer,
                holder: holder,
                pendingHolder: address(0),
                status: Status.Issued,
                issuedAt: uint64(block.timestamp),
                dueDate: dueDate,
                amount: amount,
                parentId: 0,
                documentHash: documentHash,
                settlementRef: bytes32(0)
            })
        );
        emit BillIssued(id, msg.sender, payer, holder, amount, dueDate, documentHash);
        _log(id, Action.Issued, holder, amount, documentHash);
    }

    /// @notice Accept bill `id`, promising to pay it at the due date. Only its payer.
    function accept(uint256 id) external whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Issued);
        if (msg.sender != b.payer) revert NotPayer(id, msg.sender);
        b.status = Status.Accepted;
        emit BillAccepted(id, msg.sender);
        _log(id, Action.Accepted, address(0), b.amount, 0);
    }

    /// @notice Refuse bill `id` for `reason`. Only its payer, before accepting.
    function reject(uint256 id, bytes32 reason) external whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Issued);
        if (msg.sender != b.payer) revert NotPayer(id, msg.sender);
        b.status = Status.Rejected;
        emit BillRejected(id, msg.sender, reason);
        _log(id, Action.Rejected, address(0), b.amount, reason);
    }

    /// @notice Withdraw bill `id` before the payer accepts it. Only its drawer.
    function cancel(uint256 id) external whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Issued);
        if (msg.sender != b.drawer) revert NotDrawer(id, msg.sender);
        b.status = Status.Cancelled;
        emit BillCancelled(id, msg.sender);
        _log(id, Action.Cancelled, address(0), b.amount, 0);
    }

    // ---------------------------------------------------------------- endorsement

    /// @notice Offer accepted bill `id` to `to`, who becomes holder on acceptEndorsement. Only its holder.
    function endorse(uint256 id, address to) external whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Accepted);
        if (msg.sender != b.holder) revert NotHolder(id, msg.sender);
        if (to == address(0) || to == b.holder) revert InvalidEndorsee(id, to);
        if (b.pendingHolder != address(0)) revert EndorsementPending(id, b.pendingHolder);
        b.pendingHolder = to;
        emit EndorsementOffered(id, msg.sender, to);
        _log(id, Action.EndorsementOffered, to, b.amount, 0);
    }

    /// @notice Withdraw the pending endorsement of bill `id`. Only its holder.
    function cancelEndorsement(uint256 id) external whenNotPaused {
        BillInfo storage b = _bill(id);
        if (msg.sender != b.holder) revert NotHolder(id, msg.sender);
        address to = b.pendingHolder;
        if (to == address(0)) revert NoPendingEndorsement(id);
        b.pendingHolder = address(0);
        emit EndorsementCancelled(id, msg.sender, to);
        _log(id, Action.EndorsementCancelled, to, b.amount, 0);
    }

    /// @notice Decline the endorsement of bill `id`. Only the pending endorsee.
    function declineEndorsement(uint256 id) external whenNotPaused {
        BillInfo storage b = _bill(id);
        if (msg.sender != b.pendingHolder) revert NotPendingHolder(id, msg.sender);
        b.pendingHolder = address(0);
        emit EndorsementDeclined(id, b.holder, msg.sender);
        _log(id, Action.EndorsementDeclined, b.holder, b.amount, 0);
    }

    /// @notice Take bill `id` as its new holder. Only the pending endorsee.
    function acceptEndorsement(uint256 id) external whenNotPaused {
        BillInfo storage b = _bill(id);
        if (msg.sender != b.pendingHolder) revert NotPendingHolder(id, msg.sender);
        address from = b.holder;
        b.holder = msg.sender;
        b.pendingHolder = address(0);
        _involve(msg.sender, id);
        emit BillEndorsed(id, from, msg.sender);
        _log(id, Action.Endorsed, from, b.amount, 0);
    }

    /// @notice Split accepted bill `id` into new bills of `amounts` (2..MAX_SPLIT, positive, summing to its
    /// amount) with the same parties and due date; bill `id` closes as Split. Only its holder, with no endorsement pending.
    /// @return childIds The new bill ids, in the order of `amounts`.
    function split(uint256 id, uint256[] calldata amounts) external whenNotPaused returns (uint256[] memory childIds) {
        BillInfo storage b = _inStatus(id, Status.Accepted);
        if (msg.sender != b.holder) revert NotHolder(id, msg.sender);
        if (b.pendingHolder != address(0)) revert EndorsementPending(id, b.pendingHolder);
        uint256 n = amounts.length;
        if (n < 2 || n > MAX_SPLIT) revert InvalidSplit(id);
        uint256 sum = 0;
        for (uint256 i = 0; i < n; i++) {
            if (amounts[i] == 0) revert InvalidSplit(id);
            sum += amounts[i];
        }
        if (sum != b.amount) revert InvalidSplit(id);
        b.status = Status.Split;
        BillInfo memory child = b;
        child.status = Status.Accepted;
        child.issuedAt = uint64(block.timestamp);
        child.parentId = id;
        childIds = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            child.amount = amounts[i];
            childIds[i] = _store(child);
            _log(childIds[i], Action.SplitFrom, child.holder, amounts[i], bytes32(id));
        }
        emit BillSplit(id, childIds, amounts);
        _log(id, Action.Split, address(0), b.amount, 0);
    }

    // ---------------------------------------------------------------- settlement

    /// @notice Pay accepted bill `id` in ether (exactly its amount), on or after the due date; the holder is
    /// credited and a pending endorsement is withdrawn. Only its payer.
    function pay(uint256 id) external payable whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Accepted);
        if (msg.sender != b.payer) revert NotPayer(id, msg.sender);
        if (block.timestamp < b.dueDate) revert NotDue(id, b.dueDate);
        if (msg.value != b.amount) revert WrongPayment(id, msg.value, b.amount);
        _settle(id, b, true, 0);
        _credit(b.holder, msg.value);
    }

    /// @notice Confirm that accepted bill `id` was paid off-chain (`paymentRef` identifies the payment), on or
    /// after the due date. Only its holder.
    function confirmSettlement(uint256 id, bytes32 paymentRef) external whenNotPaused {
        BillInfo storage b = _inStatus(id, Status.Accepted);
        if (msg.sender != b.holder) revert NotHolder(id, msg.sender);
        if (block.timestamp < b.dueDate) revert NotDue(id, b.dueDate);
        _settle(id, b, false, paymentRef);
    }

    // ---------------------------------------------------------------- views

    /// @notice Number of bills ever created, splits included (ids are 1..billCount).
    function billCount() external view returns (uint256) {
        return _bills.length;
    }

    /// @notice Bill `id`.
    function getBill(uint256 id) external view returns (BillInfo memory) {
        return _bill(id);
    }

    /// @notice The status of bill `id`.
    function statusOf(uint256 id) external view returns (Status) {
        return _bill(id).status;
    }

    /// @notice The whole history of bill `id`, oldest first.
    function history(uint256 id) external view returns (Entry[] memory) {
        _bill(id);
        return _history[id];
    }

    /// @notice Number of bills `account` was ever party to (drawer, payer or holder).
    function billCountOf(address account) external view returns (uint256) {
        return _billsOf[account].length;
    }

    /// @notice Ids of bills `account` was ever party to, `limit` of them from `offset`.
    function billsOf(address account, uint256 offset, uint256 limit) external view returns (uint256[] memory page) {
        uint256[] storage ids = _billsOf[account];
        uint256 n = ids.length;
        uint256 start = offset >= n ? n : offset;
        uint256 end = limit > n - start ? n : start + limit;
        page = new uint256[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = ids[i];
        }
    }

    // ---------------------------------------------------------------- internals

    function _store(BillInfo memory b) private returns (uint256 id) {
        _bills.push(b);
        id = _bills.length;
        _involve(b.drawer, id);
        _involve(b.payer, id);
        _involve(b.holder, id);
    }

    function _settle(uint256 id, BillInfo storage b, bool onChain, bytes32 ref) private {
        address pending = b.pendingHolder;
        if (pending != address(0)) {
            b.pendingHolder = address(0);
            emit EndorsementCancelled(id, b.holder, pending);
            _log(id, Action.EndorsementCancelled, pending, b.amount, 0);
        }
        b.status = Status.Settled;
        b.settlementRef = ref;
        emit BillSettled(id, b.holder, b.amount, onChain, ref);
        _log(id, onChain ? Action.SettledOnChain : Action.SettledOffChain, b.holder, b.amount, ref);
    }

    function _involve(address account, uint256 id) private {
        if (!_involved[account][id]) {
            _involved[account][id] = true;
            _billsOf[account].push(id);
        }
    }

    function _log(uint256 id, Action action, address counterparty, uint256 amount, bytes32 ref) private {
        _history[id].push(
            Entry({
                action: action,
                actor: msg.sender,
                counterparty: counterparty,
                timestamp: uint64(block.timestamp),
                amount: amount,
                ref: ref
            })
        );
    }

    function _bill(uint256 id) private view returns (BillInfo storage) {
        if (id == 0 || id > _bills.length) revert UnknownBill(id);
        return _bills[id - 1];
    }

    function _inStatus(uint256 id, Status required) private view returns (BillInfo storage b) {
        b = _bill(id);
        if (b.status != required) revert WrongStatus(id, b.status, required);
    }
}
