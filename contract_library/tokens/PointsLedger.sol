// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/AccessControl.sol";
import "@smartdev/access/Pausable.sol";

/// @title PointsLedger
/// @notice Merchant-alliance loyalty points: issuers grant with reason codes, members redeem at merchants, optional transfers and inactivity expiry; totals always reconcile.
/// @dev Points are plain integers, not an ERC-20: they cannot be approved or pulled by third parties; only the
///      member moves its own points (redeem, transfer) and only issuers add (grant) or correct (clawBack) them.
///
///      Expiry model (optional, `expiryPeriod` 0 = never): a member's whole balance expires `expiryPeriod` seconds
///      after its last activity (a grant, clawback, redemption or transfer in or out), like airline miles. Expiry
///      is lazy: `balanceOf` reads 0 once expired, and the points leave `outstanding` when the account is swept —
///      by anyone through `expire(member)`, or automatically by the next operation touching the account.
///
///      Invariant (checked by the tests after every step):
///      totalIssued == totalRedeemed + totalExpired + totalClawedBack + outstanding,
///      where outstanding is the sum of all recorded balances (swept or not).
///      Per-issuer and per-merchant tallies (`issuedBy`, `redeemedAt`) support settlement between alliance members.
contract PointsLedger is AccessControl, Pausable {
    /// @notice May grant points and claw back mistaken grants.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice May accept redemptions (members redeem "at" a merchant).
    bytes32 public constant MERCHANT_ROLE = keccak256("MERCHANT_ROLE");
    /// @notice Largest batch accepted by grantBatch.
    uint256 public constant MAX_BATCH = 100;

    struct Account {
        uint256 points;
        uint64 lastActivity;
    }

    mapping(address => Account) private _accounts;
    mapping(address => uint256) private _issuedBy;
    mapping(address => uint256) private _redeemedAt;

    /// @notice Points ever granted.
    uint256 public totalIssued;
    /// @notice Points ever redeemed at merchants.
    uint256 public totalRedeemed;
    /// @notice Points ever swept by expiry.
    uint256 public totalExpired;
    /// @notice Points ever taken back by issuers.
    uint256 public totalClawedBack;
    /// @notice Sum of all recorded balances (including expired balances not yet swept).
    uint256 public outstanding;
    /// @notice Seconds of inactivity after which a balance expires (0 = points never expire).
    uint64 public expiryPeriod;
    /// @notice Whether members may transfer points to each other.
    bool public transfersEnabled;

    /// @notice `issuer` granted `amount` points to `member` for `reason`.
    event Granted(address indexed issuer, address indexed member, uint256 amount, bytes32 indexed reason);
    /// @notice `member` spent `amount` points at `merchant` for order `orderRef`.
    event Redeemed(address indexed member, address indexed merchant, uint256 amount, bytes32 indexed orderRef);
    /// @notice `from` transferred `amount` points to `to`.
    event Transferred(address indexed from, address indexed to, uint256 amount);
    /// @notice `issuer` took back `amount` points from `member` for `reason`.
    event ClawedBack(address indexed issuer, address indexed member, uint256 amount, bytes32 indexed reason);
    /// @notice The `amount` points of the inactive `member` expired.
    event Expired(address indexed member, uint256 amount);
    /// @notice Member-to-member transfers were enabled (`enabled` true) or disabled.
    event TransfersEnabled(bool enabled);
    /// @notice The inactivity expiry period changed from `previous` to `current` seconds (0 = off).
    event ExpiryPeriodChanged(uint64 previous, uint64 current);

    /// @notice An amount of 0 points.
    error PointsZeroAmount();
    /// @notice `member` cannot hold points (the zero address).
    error PointsInvalidMember(address member);
    /// @notice `merchant` does not hold MERCHANT_ROLE.
    error PointsNotMerchant(address merchant);
    /// @notice `member` has `balance` spendable points but `needed` are required.
    error PointsInsufficient(address member, uint256 balance, uint256 needed);
    /// @notice Member-to-member transfers are disabled.
    error PointsTransfersDisabled();
    /// @notice The points of `member` do not expire before `expiresAt` (0 = never).
    error PointsNotExpired(address member, uint256 expiresAt);
    /// @notice grantBatch got `members` members but `amounts` amounts.
    error PointsBatchLengthMismatch(uint256 members, uint256 amounts);
    /// @notice grantBatch got `length` entries; at most `max` are allowed.
    error PointsBatchTooLarge(uint256 length, uint256 max);

    /// @param admin Receives DEFAULT_ADMIN_ROLE (configuration, pausing, role management).
    /// @param expiryPeriod_ Inactivity expiry in seconds (0 = never).
    /// @param transfersEnabled_ Whether members may transfer points to each other.
    constructor(address admin, uint64 expiryPeriod_, bool transfersEnabled_) {
        if (admin == address(0)) revert PointsInvalidMember(address(0));
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        expiryPeriod = expiryPeriod_;
        transfersEnabled = transfersEnabled_;
        emit ExpiryPeriodChanged(0, expiryPeriod_);
        emit TransfersEnabled(transfersEnabled_);
    }

    // ---------------------------------------------------------------- views

    /// @notice The spendable points of `member` (0 once its balance has expired).
    function balanceOf(address member) public view returns (uint256) {
        Account storage a = _accounts[member];
        return _isExpired(a) ? 0 : a.points;
    }

    /// @notice The recorded account of `member`: points (even if expired), last activity, expiry time (0 = never) and
    ///         whether it has expired.
    function accountOf(address member)
        external
        view
        returns (uint256 points, uint64 lastActivity, uint256 expiry, bool expired)
    {
        Account storage a = _accounts[member];
        return (a.points, a.lastActivity, _expiresAt(a), _isExpired(a));
    }

    /// @notice When the points of `member` expire (0 = never: no points, or expiry off).
    function expiresAt(address member) external view returns (uint256) {
        return _expiresAt(_accounts[member]);
    }

    /// @notice Points ever granted by `issuer`.
    function issuedBy(address issuer) external view returns (uint256) {
        return _issuedBy[issuer];
    }

    /// @notice Points ever redeemed at `merchant`.
    function redeemedAt(address merchant) external view returns (uint256) {
        return _redeemedAt[merchant];
    }

    /// @notice All totals: issued == redeemed + expired + clawedBack + outstanding always holds.
    function totals()
        external
        view
        returns (uint256 issued, uint256 redeemed, uint256 expired, uint256 clawedBack, uint256 outstanding_)
    {
        return (totalIssued, totalRedeemed, totalExpired, totalClawedBack, outstanding);
    }

    // ---------------------------------------------------------------- issuers

    /// @notice Grant `amount` points to `member` for `reason` (an application-defined code). ISSUER_ROLE only.
    function grant(address member, uint256 amount, bytes32 reason) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _grant(member, amount, reason);
    }

    /// @notice Grant `amounts[i]` points to `members[i]` for `reason` (at most MAX_BATCH entries). ISSUER_ROLE only.
    function grantBatch(address[] calldata members, uint256[] calldata amounts, bytes32 reason)
        external
        onlyRole(ISSUER_ROLE)
        whenNotPaused
    {
        if (members.length != amounts.length) revert PointsBatchLengthMismatch(members.length, amounts.length);
        if (members.length > MAX_BATCH) revert PointsBatchTooLarge(members.length, MAX_BATCH);
        for (uint256 i = 0; i < members.length; i++) {
            _grant(members[i], amounts[i], reason);
        }
    }

    /// @notice Take back `amount` spendable points from `member` (e.g. a mistaken grant or a refunded purchase). ISSUER_ROLE only.
    function clawBack(address member, uint256 amount, bytes32 reason) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _debit(member, amount);
        totalClawedBack += amount;
        emit ClawedBack(msg.sender, member, amount, reason);
    }

    // ---------------------------------------------------------------- members

    /// @notice Spend `amount` of the caller's points at `merchant` (a MERCHANT_ROLE holder) for order `orderRef`.
    function redeem(address merchant, uint256 amount, bytes32 orderRef) external whenNotPaused {
        if (!hasRole(MERCHANT_ROLE, merchant)) revert PointsNotMerchant(merchant);
        _debit(msg.sender, amount);
        totalRedeemed += amount;
        _redeemedAt[merchant] += amount;
        emit Redeemed(msg.sender, merchant, amount, orderRef);
    }

    /// @notice Move `amount` of the caller's points to `to`; only while transfers are enabled.
    function transfer(address to, uint256 amount) external whenNotPaused {
        if (!transfersEnabled) revert PointsTransfersDisabled();
        if (to == address(0)) revert PointsInvalidMember(address(0));
        _debit(msg.sender, amount);
        _credit(to, amount);
        emit Transferred(msg.sender, to, amount);
    }

    // ---------------------------------------------------------------- anyone

    /// @notice Sweep the expired balance of `member` out of `outstanding` into `totalExpired`. Anyone.
    function expire(address member) external whenNotPaused {
        Account storage a = _accounts[member];
        if (!_isExpired(a)) revert PointsNotExpired(member, _expiresAt(a));
        _sweep(member, a);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Enable or disable member-to-member transfers. DEFAULT_ADMIN_ROLE only.
    function setTransfersEnabled(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        transfersEnabled = enabled;
        emit TransfersEnabled(enabled);
    }

    /// @notice Set the inactivity expiry to `period` seconds (0 = off); applies to all accounts at once. DEFAULT_ADMIN_ROLE only.
    function setExpiryPeriod(uint64 period) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit ExpiryPeriodChanged(expiryPeriod, period);
        expiryPeriod = period;
    }

    /// @notice Stop all point movements (grants, redemptions, transfers, clawbacks, expiry sweeps). DEFAULT_ADMIN_ROLE only.
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @notice Resume point movements. DEFAULT_ADMIN_ROLE only.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- internals

    function _grant(address member, uint256 amount, bytes32 reason) private {
        _credit(member, amount);
        totalIssued += amount;
        _issuedBy[msg.sender] += amount;
        emit Granted(msg.sender, member, amount, reason);
    }

    /// @dev Add `amount` to `member` (sweeping an expired balance first) and refresh its activity.
    function _credit(address member, uint256 amount) private {
        if (member == address(0)) revert PointsInvalidMember(address(0));
        if (amount == 0) revert PointsZeroAmount();
        Account storage a = _accounts[member];
        if (_isExpired(a)) _sweep(member, a);
        a.points += amount;
        a.lastActivity = uint64(block.timestamp);
        outstanding += amount;
    }

    /// @dev Take `amount` spendable points from `member` and refresh its activity.
    function _debit(address member, uint256 amount) private {
        if (amount == 0) revert PointsZeroAmount();
        Account storage a = _accounts[member];
        if (_isExpired(a)) _sweep(member, a);
        uint256 points = a.points;
        if (points < amount) revert PointsInsufficient(member, points, amount);
        unchecked {
            a.points = points - amount;
            outstanding -= amount; // amount <= points <= outstanding
        }
        a.lastActivity = uint64(block.timestamp);
    }

    function _sweep(address member, Account storage a) private {
        uint256 points = a.points;
        a.points = 0;
        unchecked {
            outstanding -= points;
        }
        totalExpired += points;
        emit Expired(member, points);
    }

    function _expiresAt(Account storage a) private view returns (uint256) {
        if (expiryPeriod == 0 || a.points == 0) return 0;
        return uint256(a.lastActivity) + expiryPeriod;
    }

    function _isExpired(Account storage a) private view returns (bool) {
        uint256 at = _expiresAt(a);
        return at != 0 && block.timestamp >= at;
    }
}
