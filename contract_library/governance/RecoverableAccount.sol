// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/crypto/ECDSA.sol";

/// @title RecoverableAccount
/// @notice Registry of stable account ids bound to rotatable keys, with freezing and M-of-N guardian recovery (on-chain or by signature).
/// @dev Account ids are assigned sequentially from 1; id 0 means "no account".
/// A key is bound to at most one account. Guardians of an account are distinct, non-zero and
/// never the account's own key. Recovery approvals live in "rounds": a new proposal for a
/// different key, a cancellation, an executed recovery, a key rotation or a guardian change
/// starts a new round, discarding earlier approvals. The per-account `recoveryNonce` is part of
/// the signed recovery message and is bumped whenever the account's key or guardians change or a
/// recovery is cancelled or executed, so collected signatures cannot be replayed afterwards.
contract RecoverableAccount {
    /// @notice Largest guardian set an account may have.
    uint256 public constant MAX_GUARDIANS = 32;

    struct Account {
        address key;
        bool frozen;
        uint8 threshold;
        address pendingKey;
        uint32 approvals;
        uint64 round;
        uint64 nonce;
        address[] guardians;
    }

    uint256 private _count;
    mapping(uint256 => Account) private _accounts;
    mapping(address => uint256) private _accountOf;
    mapping(uint256 => mapping(address => bool)) private _isGuardian;
    // id => round => guardian => approved
    mapping(uint256 => mapping(uint64 => mapping(address => bool))) private _approved;

    /// @notice A new account `id` was registered for `key` with the given guardians and threshold.
    event Registered(uint256 indexed id, address indexed key, address[] guardians, uint256 threshold);
    /// @notice The key of account `id` changed from `oldKey` to `newKey` (by rotation or by recovery).
    event KeyRotated(uint256 indexed id, address indexed oldKey, address indexed newKey);
    /// @notice Account `id` was frozen by `by` (its key or one of its guardians).
    event Frozen(uint256 indexed id, address indexed by);
    /// @notice Account `id` was unfrozen by `by` (its key, or the guardian completing a recovery).
    event Unfrozen(uint256 indexed id, address indexed by);
    /// @notice Guardian `guardian` proposed recovering account `id` to `newKey` (starts a new approval round).
    event RecoveryProposed(uint256 indexed id, address indexed guardian, address indexed newKey);
    /// @notice Guardian `guardian` approved recovering `id` to `newKey`; `approvals` is the running count.
    event RecoveryApproved(uint256 indexed id, address indexed guardian, address indexed newKey, uint256 approvals);
    /// @notice The key holder cancelled the pending recovery of `id` to `newKey`.
    event RecoveryCancelled(uint256 indexed id, address indexed newKey);
    /// @notice Guardians recovered account `id` from `oldKey` to `newKey`.
    event Recovered(uint256 indexed id, address indexed oldKey, address indexed newKey);
    /// @notice The guardian set of account `id` was replaced.
    event GuardiansChanged(uint256 indexed id, address[] guardians, uint256 threshold);

    /// @notice The account id does not exist.
    error UnknownAccount(uint256 id);
    /// @notice The caller is not the current key of the account.
    error NotKeyHolder(uint256 id, address caller);
    /// @notice The caller (or signer) is not a guardian of the account.
    error NotGuardian(uint256 id, address account);
    /// @notice The key is already bound to an account.
    error KeyAlreadyBound(address key);
    /// @notice The zero address cannot be a key.
    error ZeroKey();
    /// @notice A guardian is the zero address or the account key itself.
    error InvalidGuardian(address guardian);
    /// @notice A guardian appears twice in the list.
    error DuplicateGuardian(address guardian);
    /// @notice The threshold is not within 1..guardianCount.
    error InvalidThreshold(uint256 threshold, uint256 guardianCount);
    /// @notice More than MAX_GUARDIANS guardians.
    error TooManyGuardians(uint256 count, uint256 max);
    /// @notice The new key is one of the account's guardians.
    error KeyIsGuardian(uint256 id, address key);
    /// @notice The account is frozen; only unfreeze and guardian recovery are allowed.
    error AccountFrozen(uint256 id);
    /// @notice The account is already frozen.
    error AlreadyFrozen(uint256 id);
    /// @notice The account is not frozen.
    error NotFrozen(uint256 id);
    /// @notice No recovery is pending for the account.
    error NoPendingRecovery(uint256 id);
    /// @notice The pending recovery targets a different key.
    error RecoveryKeyMismatch(uint256 id, address pendingKey, address givenKey);
    /// @notice The guardian already approved the pending recovery.
    error AlreadyApproved(uint256 id, address guardian);
    /// @notice No signatures were supplied.
    error NoSignatures();
    /// @notice Signature at `index` is malformed, non-canonical or invalid.
    error InvalidSignature(uint256 index);

    // ---------------------------------------------------------------- registration

    /// @notice Register a new account for the caller's key with `guardians` and recovery `threshold`.
    /// @return id The new account id.
    function register(address[] calldata guardians, uint256 threshold) external returns (uint256 id) {
        return _register(msg.sender, guardians, threshold);
    }

    /// @notice Register a new account with the "social 2-of-3" preset: three guardians, threshold 2.
    /// @return id The new account id.
    function registerSocial(address g1, address g2, address g3) external returns (uint256 id) {
        address[] memory guardians = new address[](3);
        guardians[0] = g1;
        guardians[1] = g2;
        guardians[2] = g3;
        return _register(msg.sender, guardians, 2);
    }

    function _register(address key, address[] memory guardians, uint256 threshold) private returns (uint256 id) {
        if (_accountOf[key] != 0) revert KeyAlreadyBound(key);
        id = ++_count;
        Account storage a = _accounts[id];
        a.key = key;
        _accountOf[key] = id;
        _setGuardians(id, a, guardians, threshold);
        emit Registered(id, key, guardians, threshold);
    }

    // ---------------------------------------------------------------- views

    /// @notice The key currently bound to account `id` (address(0) if none).
    function keyOf(uint256 id) external view returns (address) {
        return _accounts[id].key;
    }

    /// @notice The account id bound to `key` (0 if none).
    function accountOf(address key) external view returns (uint256) {
        return _accountOf[key];
    }

    /// @notice Number of accounts registered so far (also the highest id).
    function accountCount() external view returns (uint256) {
        return _count;
    }

    /// @notice The guardians of account `id`.
    function guardiansOf(uint256 id) external view returns (address[] memory) {
        return _accounts[id].guardians;
    }

    /// @notice The recovery threshold of account `id`.
    function thresholdOf(uint256 id) external view returns (uint256) {
        return _accounts[id].threshold;
    }

    /// @notice Whether `account` is a guardian of account `id`.
    function isGuardian(uint256 id, address account) external view returns (bool) {
        return _isGuardian[id][account];
    }

    /// @notice Whether account `id` is frozen.
    function isFrozen(uint256 id) external view returns (bool) {
        return _accounts[id].frozen;
    }

    /// @notice The current recovery nonce of account `id` (part of the signed recovery message).
    function recoveryNonce(uint256 id) external view returns (uint256) {
        return _accounts[id].nonce;
    }

    /// @notice The pending recovery of account `id`: target key (address(0) if none) and approval count.
    function pendingRecovery(uint256 id) external view returns (address newKey, uint256 approvals) {
        Account storage a = _accounts[id];
        return (a.pendingKey, a.approvals);
    }

    /// @notice Whether `guardian` approved the pending recovery of account `id`.
    function hasApproved(uint256 id, address guardian) external view returns (bool) {
        Account storage a = _accounts[id];
        return a.pendingKey != address(0) && _approved[id][a.round][guardian];
    }

    /// @notice The message hash guardians sign (EIP-191 personal_sign) to approve recovering `id` to `newKey`:
    /// keccak256(abi.encode(address(this), block.chainid, id, newKey, recoveryNonce(id))).
    function recoveryMessageHash(uint256 id, address newKey) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), block.chainid, id, newKey, uint256(_accounts[id].nonce)));
    }

    // ---------------------------------------------------------------- key holder

    /// @notice Rotate the key of account `id` to `newKey`. Only the current key; not while frozen.
    /// Discards any pending recovery and bumps the recovery nonce.
    function rotateKey(uint256 id, address newKey) external {
        Account storage a = _holder(id);
        if (a.frozen) revert AccountFrozen(id);
        _checkNewKey(id, newKey);
        _changeKey(id, a, newKey);
    }

    /// @notice Freeze account `id`. Callable by its key or by any of its guardians (lost-key emergency).
    function freeze(uint256 id) external {
        Account storage a = _existing(id);
        if (msg.sender != a.key && !_isGuardian[id][msg.sender]) revert NotGuardian(id, msg.sender);
        if (a.frozen) revert AlreadyFrozen(id);
        a.frozen = true;
        emit Frozen(id, msg.sender);
    }

    /// @notice Unfreeze account `id`. Only its current key.
    function unfreeze(uint256 id) external {
        Account storage a = _holder(id);
        if (!a.frozen) revert NotFrozen(id);
        a.frozen = false;
        emit Unfrozen(id, msg.sender);
    }

    /// @notice Replace the guardians and threshold of account `id`. Only the current key; not while frozen.
    /// Discards any pending recovery and bumps the recovery nonce.
    function setGuardians(uint256 id, address[] calldata guardians, uint256 threshold) external {
        Account storage a = _holder(id);
        if (a.frozen) revert AccountFrozen(id);
        address[] storage old = a.guardians;
        for (uint256 i = 0; i < old.length; i++) {
            _isGuardian[id][old[i]] = false;
        }
        delete a.guardians;
        _setGuardians(id, a, guardians, threshold);
        _resetRecovery(a);
        emit GuardiansChanged(id, guardians, threshold);
    }

    /// @notice Cancel the pending recovery of account `id`. Only the current key; not while frozen.
    function cancelRecovery(uint256 id) external {
        Account storage a = _holder(id);
        if (a.frozen) revert AccountFrozen(id);
        address pending = a.pendingKey;
        if (pending == address(0)) revert NoPendingRecovery(id);
        _resetRecovery(a);
        emit RecoveryCancelled(id, pending);
    }

    // ---------------------------------------------------------------- guardians

    /// @notice Propose recovering account `id` to `newKey`; counts as the caller's approval.
    /// A proposal for a different key than the pending one discards earlier approvals.
    /// Executes immediately when the threshold is 1.
    function proposeRecovery(uint256 id, address newKey) external {
        Account storage a = _existing(id);
        if (!_isGuardian[id][msg.sender]) revert NotGuardian(id, msg.sender);
        _checkNewKey(id, newKey);
        if (a.pendingKey != newKey) {
            _startProposal(id, a, newKey, msg.sender);
        }
        _approve(id, a, msg.sender);
    }

    /// @notice Approve the pending recovery of account `id` to `newKey` (must match the proposal).
    /// Executes the recovery when approvals reach the threshold.
    function approveRecovery(uint256 id, address newKey) external {
        Account storage a = _existing(id);
        if (!_isGuardian[id][msg.sender]) revert NotGuardian(id, msg.sender);
        if (a.pendingKey == address(0)) revert NoPendingRecovery(id);
        if (a.pendingKey != newKey) revert RecoveryKeyMismatch(id, a.pendingKey, newKey);
        _approve(id, a, msg.sender);
    }

    /// @notice Approve recovering account `id` to `newKey` with guardians' EIP-191 signatures of
    /// `recoveryMessageHash(id, newKey)` (65-byte r,s,v; s in the lower half; v 27 or 28). Anyone may relay.
    /// If no recovery (or one for another key) is pending, the first signer proposes `newKey`.
    /// Every signer must be a guardian who has not yet approved; executes at the threshold.
    function approveRecoveryBySig(uint256 id, address newKey, bytes[] calldata signatures) external {
        Account storage a = _existing(id);
        if (signatures.length == 0) revert NoSignatures();
        bytes32 digest = ECDSA.toEthSignedMessageHash(recoveryMessageHash(id, newKey));
        for (uint256 i = 0; i < signatures.length; i++) {
            // Only 65-byte (r, s, v) signatures. ECDSA.tryRecover(bytes) rejects every other length (64-byte
            // EIP-2098 compact included) too; the explicit check states this API's rule on its own.
            if (signatures[i].length != 65) revert InvalidSignature(i);
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert InvalidSignature(i);
            if (!_isGuardian[id][signer]) revert NotGuardian(id, signer);
            if (a.pendingKey != newKey) {
                _checkNewKey(id, newKey);
                _startProposal(id, a, newKey, signer);
            }
            _approve(id, a, signer);
            if (a.pendingKey == address(0)) return; // executed; extra signatures are ignored
        }
    }

    // ---------------------------------------------------------------- internals

    function _existing(uint256 id) private view returns (Account storage a) {
        a = _accounts[id];
        if (a.key == address(0)) revert UnknownAccount(id);
    }

    function _holder(uint256 id) private view returns (Account storage a) {
        a = _existing(id);
        if (msg.sender != a.key) revert NotKeyHolder(id, msg.sender);
    }

    function _checkNewKey(uint256 id, address newKey) private view {
        if (newKey == address(0)) revert ZeroKey();
        if (_accountOf[newKey] != 0) revert KeyAlreadyBound(newKey);
        if (_isGuardian[id][newKey]) revert KeyIsGuardian(id, newKey);
    }

    function _setGuardians(uint256 id, Account storage a, address[] memory guardians, uint256 threshold) private {
        uint256 n = guardians.length;
        if (n > MAX_GUARDIANS) revert TooManyGuardians(n, MAX_GUARDIANS);
        if (threshold == 0 || threshold > n) revert InvalidThreshold(threshold, n);
        for (uint256 i = 0; i < n; i++) {
            address g = guardians[i];
            if (g == address(0) || g == a.key) revert InvalidGuardian(g);
            if (_isGuardian[id][g]) revert DuplicateGuardian(g);
            _isGuardian[id][g] = true;
            a.guardians.push(g);
        }
        a.threshold = uint8(threshold);
    }

    function _startProposal(uint256 id, Account storage a, address newKey, address guardian) private {
        a.round += 1;
        a.pendingKey = newKey;
        a.approvals = 0;
        emit RecoveryProposed(id, guardian, newKey);
    }

    function _approve(uint256 id, Account storage a, address guardian) private {
        mapping(address => bool) storage approved = _approved[id][a.round];
        if (approved[guardian]) revert AlreadyApproved(id, guardian);
        approved[guardian] = true;
        uint32 count = a.approvals + 1;
        a.approvals = count;
        address newKey = a.pendingKey;
        emit RecoveryApproved(id, guardian, newKey, count);
        if (count >= a.threshold) {
            // the key may have been bound elsewhere since the proposal
            if (_accountOf[newKey] != 0) revert KeyAlreadyBound(newKey);
            address oldKey = a.key;
            if (a.frozen) {
                a.frozen = false;
                emit Unfrozen(id, guardian);
            }
            _changeKey(id, a, newKey);
            emit Recovered(id, oldKey, newKey);
        }
    }

    function _changeKey(uint256 id, Account storage a, address newKey) private {
        address oldKey = a.key;
        delete _accountOf[oldKey];
        _accountOf[newKey] = id;
        a.key = newKey;
        _resetRecovery(a);
        emit KeyRotated(id, oldKey, newKey);
    }

    function _resetRecovery(Account storage a) private {
        a.pendingKey = address(0);
        a.approvals = 0;
        a.round += 1;
        a.nonce += 1;
    }
}
