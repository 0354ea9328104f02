// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title CommitReveal
/// @notice Rounds of commit-then-reveal: commit a salted hash bound to you, this contract, the chain and the round, then reveal it in the reveal window.
/// @dev A round has a commit phase (`block.timestamp <= commitDeadline`), then a reveal phase
///      (`commitDeadline < block.timestamp <= revealDeadline`), then it has ended. Anyone may open a round;
///      rounds are independent and may overlap. A commitment is
///      `keccak256(abi.encode(address(this), block.chainid, round, committer, value, salt))` (see computeCommitment),
///      so it cannot be copied by another account nor replayed in another round, contract or chain.
///      Inherit and override `openRound` to restrict who opens rounds, and the `_afterCommit` / `_afterReveal`
///      hooks to act on commitments and revealed values (state is final when they run).
contract CommitReveal {
    /// @notice Where a round stands: None (no such round), Commit, Reveal or Ended.
    enum Phase {
        None,
        Commit,
        Reveal,
        Ended
    }

    struct Round {
        address creator;
        uint64 commitDeadline;
        uint32 commits;
        uint64 revealDeadline;
        uint32 reveals;
    }

    struct Entry {
        bytes32 commitment;
        bool revealed;
        bytes32 value;
    }

    uint256 private _roundCount;
    mapping(uint256 => Round) private _rounds;
    mapping(uint256 => mapping(address => Entry)) private _entries;

    /// @notice `creator` opened round `round`: commits until `commitDeadline`, reveals until `revealDeadline` (inclusive).
    event RoundOpened(uint256 indexed round, address indexed creator, uint64 commitDeadline, uint64 revealDeadline);
    /// @notice `committer` committed `commitment` in round `round`.
    event Committed(uint256 indexed round, address indexed committer, bytes32 commitment);
    /// @notice `committer` revealed `value` in round `round` (it matched the commitment).
    event Revealed(uint256 indexed round, address indexed committer, bytes32 value);

    /// @notice The deadlines must satisfy `now < commitDeadline < revealDeadline`.
    error InvalidDeadlines(uint64 commitDeadline, uint64 revealDeadline, uint256 timestamp);
    /// @notice No round with this id.
    error UnknownRound(uint256 round);
    /// @notice The action needs round `round` to be in phase `expected`, but it is in `actual`.
    error WrongPhase(uint256 round, Phase expected, Phase actual);
    /// @notice The zero hash cannot be committed (it means "no commitment").
    error EmptyCommitment();
    /// @notice `committer` already committed in round `round` (commitments cannot be changed).
    error AlreadyCommitted(uint256 round, address committer);
    /// @notice `committer` has no commitment in round `round`.
    error NoCommitment(uint256 round, address committer);
    /// @notice `committer` already revealed in round `round`.
    error AlreadyRevealed(uint256 round, address committer);
    /// @notice The revealed value and salt do not hash to `committer`'s commitment in round `round`.
    error CommitmentMismatch(uint256 round, address committer);

    // ---------------------------------------------------------------- actions

    /// @notice Open a new round with the given absolute deadlines (unix seconds). Anyone, unless overridden.
    /// @return round The new round id (sequential from 1).
    function openRound(uint64 commitDeadline, uint64 revealDeadline) external virtual returns (uint256 round) {
        return _openRound(commitDeadline, revealDeadline);
    }

    /// @notice Commit `commitment` (see computeCommitment) as the caller in round `round`; once per account, commit phase only.
    function commit(uint256 round, bytes32 commitment) external virtual {
        _requirePhase(round, Phase.Commit);
        if (commitment == bytes32(0)) revert EmptyCommitment();
        Entry storage e = _entries[round][msg.sender];
        if (e.commitment != bytes32(0)) revert AlreadyCommitted(round, msg.sender);
        e.commitment = commitment;
        _rounds[round].commits += 1;
        emit Committed(round, msg.sender, commitment);
        _afterCommit(round, msg.sender, commitment);
    }

    /// @notice Reveal the caller's `value` and `salt` for round `round`; reveal phase only, must match the commitment.
    function reveal(uint256 round, bytes32 value, bytes32 salt) external virtual {
        _requirePhase(round, Phase.Reveal);
        Entry storage e = _entries[round][msg.sender];
        if (e.commitment == bytes32(0)) revert NoCommitment(round, msg.sender);
        if (e.revealed) revert AlreadyRevealed(round, msg.sender);
        if (computeCommitment(round, msg.sender, value, salt) != e.commitment) {
            revert CommitmentMismatch(round, msg.sender);
        }
        e.revealed = true;
        e.value = value;
        _rounds[round].reveals += 1;
        emit Revealed(round, msg.sender, value);
        _afterReveal(round, msg.sender, value);
    }

    // ---------------------------------------------------------------- views

    /// @notice The commitment `committer` must submit to later reveal `value` with `salt` in round `round`.
    /// @dev Compute it off-chain (or on a node you trust): sending value and salt to a public RPC reveals them.
    function computeCommitment(uint256 round, address committer, bytes32 value, bytes32 salt)
        public
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(address(this), block.chainid, round, committer, value, salt));
    }

    /// @notice Number of rounds opened so far (also the highest round id).
    function roundCount() external view returns (uint256) {
        return _roundCount;
    }

    /// @notice Round `round`: its creator, deadlines and how many accounts committed and revealed (all zero if unknown).
    function getRound(uint256 round)
        external
        view
        returns (address creator, uint64 commitDeadline, uint64 revealDeadline, uint256 commits, uint256 reveals)
    {
        Round storage r = _rounds[round];
        return (r.creator, r.commitDeadline, r.revealDeadline, r.commits, r.reveals);
    }

    /// @notice The current phase of round `round` (None if it does not exist).
    function phase(uint256 round) public view returns (Phase) {
        Round storage r = _rounds[round];
        if (r.revealDeadline == 0) return Phase.None;
        if (block.timestamp <= r.commitDeadline) return Phase.Commit;
        if (block.timestamp <= r.revealDeadline) return Phase.Reveal;
        return Phase.Ended;
    }

    /// @notice The commitment of `committer` in round `round` (zero if none).
    function commitmentOf(uint256 round, address committer) external view returns (bytes32) {
        return _entries[round][committer].commitment;
    }

    /// @notice Whether `committer` revealed in round `round`, and the revealed value (zero if not revealed).
    function revealOf(uint256 round, address committer) external view returns (bool revealed, bytes32 value) {
        Entry storage e = _entries[round][committer];
        return (e.revealed, e.value);
    }

    // ---------------------------------------------------------------- internals and hooks

    /// @dev Opens a round without access checks; for inheriting contracts. Emits RoundOpened.
    function _openRound(uint64 commitDeadline, uint64 revealDeadline) internal returns (uint256 round) {
        if (commitDeadline <= block.timestamp || revealDeadline <= commitDeadline) {
            revert InvalidDeadlines(commitDeadline, revealDeadline, block.timestamp);
        }
        round = ++_roundCount;
        Round storage r = _rounds[round];
        r.creator = msg.sender;
        r.commitDeadline = commitDeadline;
        r.revealDeadline = revealDeadline;
        emit RoundOpened(round, msg.sender, commitDeadline, revealDeadline);
    }

    /// @dev Reverts UnknownRound / WrongPhase unless round `round` is in phase `expected`.
    function _requirePhase(uint256 round, Phase expected) internal view {
        Phase actual = phase(round);
        if (actual == Phase.None) revert UnknownRound(round);
        if (actual != expected) revert WrongPhase(round, expected, actual);
    }

    /// @dev Called after `committer`'s commitment was stored and Committed emitted. Default: nothing.
    function _afterCommit(uint256 round, address committer, bytes32 commitment) internal virtual {}

    /// @dev Called after `committer`'s reveal was stored and Revealed emitted. Default: nothing.
    function _afterReveal(uint256 round, address committer, bytes32 value) internal virtual {}
}
