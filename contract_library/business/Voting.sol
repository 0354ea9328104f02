// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "@smartdev/access/Ownable2Step.sol";
import {EnumerableSet} from "@smartdev/structures/EnumerableSet.sol";

/// @title Voting
/// @notice One-person-one-vote elections: registered voters vote once per scheduled multi-option proposal, optionally changing their vote before the end; results report ties.
/// @dev The organiser is the owner (Ownable2Step). Proposal ids start at 1; a proposal is open for
/// `start <= block.timestamp < end`. Closing registration freezes the voter roll for good, so voters
/// can check that nobody is added or removed during an election. Votes are public on-chain.
contract Voting is Ownable2Step {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice Where a proposal is in time.
    enum Phase {
        Pending,
        Active,
        Ended,
        Cancelled
    }

    /// @notice A proposal with its labelled options and live tallies.
    struct Proposal {
        string title;
        string[] options;
        uint64 start;
        uint64 end;
        bool allowVoteChange;
        bool cancelled;
        uint256 totalVotes;
        uint256[] tallies;
    }

    /// @notice Fewest options of a proposal.
    uint256 public constant MIN_OPTIONS = 2;
    /// @notice Most options of a proposal.
    uint256 public constant MAX_OPTIONS = 16;

    /// @notice Whether the voter roll is frozen (no more additions or removals).
    bool public registrationClosed;
    EnumerableSet.AddressSet private _voters;
    Proposal[] private _proposals; // index = id - 1
    // proposal id => voter => option + 1 (0 = not voted)
    mapping(uint256 => mapping(address => uint256)) private _choice;

    /// @notice `voter` joined the voter roll.
    event VoterAdded(address indexed voter);
    /// @notice `voter` left the voter roll.
    event VoterRemoved(address indexed voter);
    /// @notice The voter roll was frozen.
    event RegistrationClosed();
    /// @notice Proposal `id` was scheduled.
    event ProposalCreated(
        uint256 indexed id, string title, string[] options, uint64 start, uint64 end, bool allowVoteChange
    );
    /// @notice Proposal `id` was cancelled by the organiser.
    event ProposalCancelled(uint256 indexed id);
    /// @notice `voter` voted for `option` in proposal `id`.
    event VoteCast(uint256 indexed id, address indexed voter, uint256 option);
    /// @notice `voter` moved its vote in proposal `id` from `fromOption` to `toOption`.
    event VoteChanged(uint256 indexed id, address indexed voter, uint256 fromOption, uint256 toOption);

    /// @notice The zero address cannot vote.
    error ZeroAddress();
    /// @notice The voter roll is frozen.
    error RegistrationIsClosed();
    /// @notice `voter` is already on the voter roll.
    error AlreadyRegistered(address voter);
    /// @notice `voter` is not on the voter roll.
    error NotRegistered(address voter);
    /// @notice The option count is outside MIN_OPTIONS..MAX_OPTIONS.
    error InvalidOptionCount(uint256 count);
    /// @notice The window is empty or starts in the past.
    error InvalidSchedule(uint64 start, uint64 end);
    /// @notice No proposal with id `id`.
    error UnknownProposal(uint256 id);
    /// @notice Proposal `id` was cancelled.
    error ProposalIsCancelled(uint256 id);
    /// @notice Proposal `id` opens at `start`.
    error VotingNotStarted(uint256 id, uint64 start);
    /// @notice Proposal `id` closed at `end` (no votes, no cancelling).
    error VotingClosed(uint256 id, uint64 end);
    /// @notice Proposal `id` runs until `end` (no results yet).
    error VotingNotEnded(uint256 id, uint64 end);
    /// @notice Proposal `id` has no option `option`.
    error InvalidOption(uint256 id, uint256 option);
    /// @notice `voter` already voted in proposal `id`, which does not allow changing votes.
    error AlreadyVoted(uint256 id, address voter);
    /// @notice The voter already votes for `option` in proposal `id`.
    error VoteUnchanged(uint256 id, uint256 option);

    /// @param organiser The owner, who manages voters and proposals.
    constructor(address organiser) Ownable2Step(organiser) {}

    // ---------------------------------------------------------------- organiser

    /// @notice Add `accounts` to the roll (all-or-nothing). Only the organiser, while registration is open.
    function addVoters(address[] calldata accounts) external onlyOwner {
        if (registrationClosed) revert RegistrationIsClosed();
        for (uint256 i = 0; i < accounts.length; i++) {
            address v = accounts[i];
            if (v == address(0)) revert ZeroAddress();
            if (!_voters.add(v)) revert AlreadyRegistered(v);
            emit VoterAdded(v);
        }
    }

    /// @notice Remove `voter` from the roll (its cast votes stay counted). Only the organiser, while registration is open.
    function removeVoter(address voter) external onlyOwner {
        if (registrationClosed) revert RegistrationIsClosed();
        if (!_voters.remove(voter)) revert NotRegistered(voter);
        emit VoterRemoved(voter);
    }

    /// @notice Freeze the voter roll for good. Only the organiser.
    function closeRegistration() external onlyOwner {
        if (registrationClosed) revert RegistrationIsClosed();
        registrationClosed = true;
        emit RegistrationClosed();
    }

    /// @notice Schedule a proposal `title` with `options` (2..16 labels), open for `start <= t < end`;
    /// `allowVoteChange` lets voters change their vote until the end. Only the organiser.
    /// @return id The proposal id.
    function createProposal(
        string calldata title,
        string[] calldata options,
        uint64 start,
        uint64 end,
        bool allowVoteChange
    ) external onlyOwner returns (uint256 id) {
        uint256 n = options.length;
        if (n < MIN_OPTIONS || n > MAX_OPTIONS) revert InvalidOptionCount(n);
        if (start < block.timestamp || end <= start) revert InvalidSchedule(start, end);
        Proposal storage p = _proposals.push();
        p.title = title;
        for (uint256 i = 0; i < n; i++) {
            p.options.push(options[i]);
        }
        p.start = start;
        p.end = end;
        p.allowVoteChange = allowVoteChange;
        p.tallies = new uint256[](n);
        id = _proposals.length;
        emit ProposalCreated(id, title, options, start, end, allowVoteChange);
    }

    /// @notice Cancel proposal `id` before it ends. Only the organiser.
    function cancelProposal(uint256 id) external onlyOwner {
        Proposal storage p = _proposal(id);
        if (p.cancelled) revert ProposalIsCancelled(id);
        if (block.timestamp >= p.end) revert VotingClosed(id, p.end);
        p.cancelled = true;
        emit ProposalCancelled(id);
    }

    // ---------------------------------------------------------------- voters

    /// @notice Vote for `option` (0-based) in proposal `id`, or change your vote where the proposal allows it.
    /// Only registered voters, while the proposal is open.
    function vote(uint256 id, uint256 option) external {
        Proposal storage p = _proposal(id);
        if (!_voters.contains(msg.sender)) revert NotRegistered(msg.sender);
        if (p.cancelled) revert ProposalIsCancelled(id);
        if (block.timestamp < p.start) revert VotingNotStarted(id, p.start);
        if (block.timestamp >= p.end) revert VotingClosed(id, p.end);
        if (option >= p.tallies.length) revert InvalidOption(id, option);
        uint256 previous = _choice[id][msg.sender];
        if (previous == 0) {
            p.tallies[option] += 1;
            p.totalVotes += 1;
            _choice[id][msg.sender] = option + 1;
            emit VoteCast(id, msg.sender, option);
        } else {
            if (!p.allowVoteChange) revert AlreadyVoted(id, msg.sender);
            if (previous - 1 == option) revert VoteUnchanged(id, option);
            p.tallies[previous - 1] -= 1;
            p.tallies[option] += 1;
            _choice[id][msg.sender] = option + 1;
            emit VoteChanged(id, msg.sender, previous - 1, option);
        }
    }

    // ---------------------------------------------------------------- views

    /// @notice Final result of proposal `id`: `counts` per option, the `winners` (every option with the
    /// highest tally; empty when nobody voted) and whether the lead is shared (`tie`). After the end only.
    function results(uint256 id)
        external
        view
        returns (uint256[] memory counts, uint256[] memory winners, bool tie)
    {
        Proposal storage p = _proposal(id);
        if (p.cancelled) revert ProposalIsCancelled(id);
        if (block.timestamp < p.end) revert VotingNotEnded(id, p.end);
        counts = p.tallies;
        uint256 best = 0;
        uint256 count = 0;
        for (uint256 i = 0; i < counts.length; i++) {
            if (counts[i] > best) {
                best = counts[i];
                count = 1;
            } else if (counts[i] == best && best != 0) {
                count++;
            }
        }
        winners = new uint256[](count);
        uint256 k = 0;
        for (uint256 i = 0; i < counts.length && best != 0; i++) {
            if (counts[i] == best) winners[k++] = i;
        }
        tie = count > 1;
    }

    /// @notice Live tallies of proposal `id` (votes are public anyway).
    function tallies(uint256 id) external view returns (uint256[] memory) {
        return _proposal(id).tallies;
    }

    /// @notice Proposal `id`.
    function getProposal(uint256 id) external view returns (Proposal memory) {
        return _proposal(id);
    }

    /// @notice Where proposal `id` is in time.
    function phase(uint256 id) external view returns (Phase) {
        Proposal storage p = _proposal(id);
        if (p.cancelled) return Phase.Cancelled;
        if (block.timestamp < p.start) return Phase.Pending;
        if (block.timestamp < p.end) return Phase.Active;
        return Phase.Ended;
    }

    /// @notice Number of proposals ever created (ids are 1..proposalCount).
    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    /// @notice Whether `voter` voted in proposal `id`, and for which option.
    function voteOf(uint256 id, address voter) external view returns (bool voted, uint256 option) {
        uint256 c = _choice[id][voter];
        return c == 0 ? (false, 0) : (true, c - 1);
    }

    /// @notice Whether `account` is on the voter roll.
    function isVoter(address account) external view returns (bool) {
        return _voters.contains(account);
    }

    /// @notice Number of registered voters.
    function voterCount() external view returns (uint256) {
        return _voters.length();
    }

    /// @notice Registered voters, `limit` of them from `offset` (order changes on removal).
    function voters(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 n = _voters.length();
        uint256 start = offset >= n ? n : offset;
        uint256 end = limit > n - start ? n : start + limit;
        page = new address[](end - start);
        for (uint256 i = start; i < end; i++) {
            page[i - start] = _voters.at(i);
        }
    }

    function _proposal(uint256 id) private view returns (Proposal storage) {
        if (id == 0 || id > _proposals.length) revert UnknownProposal(id);
        return _proposals[id - 1];
    }
}
