// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title WeightedBallot
/// @notice Time-boxed multi-option ballots where each voter's vote counts with a chair-assigned weight, with quorum and tie detection.
/// @dev A voter's weight is read when it votes; later weight changes do not alter cast votes.
/// A ballot is open for `start <= block.timestamp < end`.
contract WeightedBallot {
    struct Ballot {
        bytes32 descriptionHash;
        uint64 start;
        uint64 end;
        uint256 quorum;
        uint256 totalVoted;
        bool cancelled;
        uint256[] tallies;
    }

    /// @notice Most options a ballot may have.
    uint256 public constant MAX_OPTIONS = 16;

    /// @notice Who creates ballots and assigns weights.
    address public chair;
    /// @notice Sum of all current voter weights.
    uint256 public totalWeight;
    mapping(address => uint256) private _weight;
    Ballot[] private _ballots;
    // ballot => voter => option + 1 (0 = not voted)
    mapping(uint256 => mapping(address => uint256)) private _choice;

    /// @notice `voter` now has voting weight `weight`.
    event WeightSet(address indexed voter, uint256 weight);
    /// @notice Ballot `id` was created.
    event BallotCreated(
        uint256 indexed id, bytes32 descriptionHash, uint256 optionCount, uint64 start, uint64 end, uint256 quorum
    );
    /// @notice `voter` voted `option` in ballot `id` with `weight`.
    event Voted(uint256 indexed id, address indexed voter, uint256 option, uint256 weight);
    /// @notice Ballot `id` was cancelled by the chair.
    event BallotCancelled(uint256 indexed id);
    /// @notice The chair changed.
    event ChairChanged(address indexed previousChair, address indexed newChair);

    /// @notice The caller is not the chair.
    error NotChair(address caller);
    /// @notice The zero address where an account is needed.
    error ZeroAddress();
    /// @notice Option count outside 2..MAX_OPTIONS.
    error InvalidOptionCount(uint256 optionCount);
    /// @notice The voting window is empty or starts in the past.
    error InvalidSchedule(uint64 start, uint64 end);
    /// @notice No ballot with this id.
    error UnknownBallot(uint256 id);
    /// @notice The ballot has not opened yet.
    error VotingNotStarted(uint256 id, uint64 start);
    /// @notice The ballot has closed (no more votes, no cancelling).
    error VotingClosed(uint256 id, uint64 end);
    /// @notice The ballot is still running (no result yet).
    error VotingNotEnded(uint256 id, uint64 end);
    /// @notice The ballot was cancelled.
    error BallotIsCancelled(uint256 id);
    /// @notice The voter already voted in this ballot.
    error AlreadyVoted(uint256 id, address voter);
    /// @notice The voter has no weight.
    error NoVotingWeight(address voter);
    /// @notice The option does not exist in this ballot.
    error InvalidOption(uint256 id, uint256 option);

    constructor(address initialChair) {
        if (initialChair == address(0)) revert ZeroAddress();
        chair = initialChair;
        emit ChairChanged(address(0), initialChair);
    }

    modifier onlyChair() {
        if (msg.sender != chair) revert NotChair(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- chair

    /// @notice Hand the chair to `newChair`. Only the chair.
    function setChair(address newChair) external onlyChair {
        if (newChair == address(0)) revert ZeroAddress();
        emit ChairChanged(chair, newChair);
        chair = newChair;
    }

    /// @notice Set the voting weight of `voter` (0 removes it). Only the chair.
    function setWeight(address voter, uint256 weight) external onlyChair {
        if (voter == address(0)) revert ZeroAddress();
        totalWeight = totalWeight - _weight[voter] + weight;
        _weight[voter] = weight;
        emit WeightSet(voter, weight);
    }

    /// @notice Create a ballot with `optionCount` options (2..16), open for `start <= t < end`, needing
    /// `quorum` total voted weight for a result. Only the chair.
    /// @return id The ballot id.
    function createBallot(bytes32 descriptionHash, uint256 optionCount, uint64 start, uint64 end, uint256 quorum)
        external
        onlyChair
        returns (uint256 id)
    {
        if (optionCount < 2 || optionCount > MAX_OPTIONS) revert InvalidOptionCount(optionCount);
        if (start < block.timestamp || end <= start) revert InvalidSchedule(start, end);
        id = _ballots.length;
        Ballot storage b = _ballots.push();
        b.descriptionHash = descriptionHash;
        b.start = start;
        b.end = end;
        b.quorum = quorum;
        b.tallies = new uint256[](optionCount);
        emit BallotCreated(id, descriptionHash, optionCount, start, end, quorum);
    }

    /// @notice Cancel ballot `id` before it ends. Only the chair.
    function cancelBallot(uint256 id) external onlyChair {
        Ballot storage b = _ballot(id);
        if (b.cancelled) revert BallotIsCancelled(id);
        if (block.timestamp >= b.end) revert VotingClosed(id, b.end);
        b.cancelled = true;
        emit BallotCancelled(id);
    }

    // ---------------------------------------------------------------- voters

    /// @notice Vote `option` in ballot `id` with your current weight. Once per ballot.
    function vote(uint256 id, uint256 option) external {
        Ballot storage b = _ballot(id);
        if (b.cancelled) revert BallotIsCancelled(id);
        if (block.timestamp < b.start) revert VotingNotStarted(id, b.start);
        if (block.timestamp >= b.end) revert VotingClosed(id, b.end);
        if (option >= b.tallies.length) revert InvalidOption(id, option);
        if (_choice[id][msg.sender] != 0) revert AlreadyVoted(id, msg.sender);
        uint256 weight = _weight[msg.sender];
        if (weight == 0) revert NoVotingWeight(msg.sender);
        _choice[id][msg.sender] = option + 1;
        b.tallies[option] += weight;
        b.totalVoted += weight;
        emit Voted(id, msg.sender, option, weight);
    }

    // ---------------------------------------------------------------- views

    /// @notice The voting weight of `voter`.
    function weightOf(address voter) external view returns (uint256) {
        return _weight[voter];
    }

    /// @notice Number of ballots created.
    function ballotCount() external view returns (uint256) {
        return _ballots.length;
    }

    /// @notice Ballot `id`: description hash, window, quorum, voted weight, cancelled flag and per-option tallies.
    function getBallot(uint256 id)
        external
        view
        returns (
            bytes32 descriptionHash,
            uint64 start,
            uint64 end,
            uint256 quorum,
            uint256 totalVoted,
            bool cancelled,
            uint256[] memory tallies
        )
    {
        Ballot storage b = _ballot(id);
        return (b.descriptionHash, b.start, b.end, b.quorum, b.totalVoted, b.cancelled, b.tallies);
    }

    /// @notice The option `voter` chose in ballot `id` and whether it voted at all.
    function choiceOf(uint256 id, address voter) external view returns (bool voted, uint256 option) {
        uint256 c = _choice[id][voter];
        return c == 0 ? (false, 0) : (true, c - 1);
    }

    /// @notice Result of ballot `id` after it ended: the leading option and its weight, whether quorum
    /// was reached and whether the lead is tied (then there is no winner).
    function result(uint256 id)
        external
        view
        returns (uint256 winningOption, uint256 winningWeight, bool quorumReached, bool tie)
    {
        Ballot storage b = _ballot(id);
        if (b.cancelled) revert BallotIsCancelled(id);
        if (block.timestamp < b.end) revert VotingNotEnded(id, b.end);
        uint256[] storage t = b.tallies;
        for (uint256 i = 0; i < t.length; i++) {
            if (t[i] > winningWeight) {
                winningOption = i;
                winningWeight = t[i];
                tie = false;
            } else if (t[i] == winningWeight && winningWeight != 0) {
                tie = true;
            }
        }
        quorumReached = b.totalVoted >= b.quorum && b.totalVoted != 0;
    }

    function _ballot(uint256 id) private view returns (Ballot storage) {
        if (id >= _ballots.length) revert UnknownBallot(id);
        return _ballots[id];
    }
}
