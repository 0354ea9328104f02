// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title BatchCaller
/// @notice Multicall3-style batch caller: many calls (with exact ether accounting) in one transaction or eth_call, strict or failure-tolerant, plus block helpers.
/// @dev Stateless: it holds no ether, approvals or roles and cannot receive plain ether. The targets see the
/// BatchCaller as msg.sender, never the original caller, so never grant it rights (token approvals, roles);
/// anyone can make it call anything.
///
/// Value: each call names the wei it forwards, and the values must add up to exactly msg.value (ValueMismatch
/// otherwise). The value of calls that fail in tryAggregate(false, ...) is refunded to the caller at the end of
/// the batch (one transfer, `Refunded` event), so no ether is ever left behind.
///
/// A call with calldata to an account without code (an EOA, a not-yet-deployed or destroyed contract, a precompile)
/// would "succeed" with no effect at the EVM level; here it counts as failed (NoCode). Plain ether transfers
/// (empty calldata) to such accounts are fine.
///
/// Cost: one call per element; `calls.length` is bounded only by the block gas limit (the caller pays).
contract BatchCaller {
    /// @notice One call: `target` is called with `callData`, forwarding `value` wei.
    struct Call {
        address target;
        uint256 value;
        bytes callData;
    }

    /// @notice The outcome of one call: whether it succeeded and its return data (its revert data if it failed).
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice `amount` wei of failed calls was refunded to `to`.
    event Refunded(address indexed to, uint256 amount);

    /// @notice msg.value is `sent` but the calls forward `required` wei in total.
    error ValueMismatch(uint256 sent, uint256 required);
    /// @notice Call `index` to `target` reverted with `reason`.
    error CallFailed(uint256 index, address target, bytes reason);
    /// @notice Call `index` has calldata but `target` has no code.
    error NoCode(uint256 index, address target);
    /// @notice Refunding `amount` wei to `to` failed (the caller cannot receive ether).
    error RefundFailed(address to, uint256 amount);

    /// @notice Run every call; reverts (CallFailed / NoCode) as soon as one fails.
    /// @return blockNumber The current block number.
    /// @return returnData The return data of each call.
    function aggregate(Call[] calldata calls)
        external
        payable
        returns (uint256 blockNumber, bytes[] memory returnData)
    {
        _checkValue(calls);
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (, returnData[i],) = _call(calls[i], i, true);
        }
        blockNumber = block.number;
    }

    /// @notice Run every call; with `requireSuccess` a failing call reverts the batch (CallFailed / NoCode),
    ///         otherwise failures are reported in the results and their value is refunded to the caller.
    /// @return results Success flag and return (or revert) data of each call.
    function tryAggregate(bool requireSuccess, Call[] calldata calls)
        external
        payable
        returns (Result[] memory results)
    {
        return _tryAggregate(requireSuccess, calls);
    }

    /// @notice Like tryAggregate, also returning the current block number and the hash of the previous block.
    function tryBlockAndAggregate(bool requireSuccess, Call[] calldata calls)
        external
        payable
        returns (uint256 blockNumber, bytes32 parentHash, Result[] memory results)
    {
        results = _tryAggregate(requireSuccess, calls);
        blockNumber = block.number;
        parentHash = blockhash(block.number - 1);
    }

    // ---------------------------------------------------------------- helpers (batch them as calls to this contract)

    /// @notice The current block number.
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }

    /// @notice The hash of block `blockNumber` (zero unless it is one of the 256 most recent blocks).
    function getBlockHash(uint256 blockNumber) external view returns (bytes32) {
        return blockhash(blockNumber);
    }

    /// @notice The hash of the previous block.
    function getLastBlockHash() external view returns (bytes32) {
        return blockhash(block.number - 1);
    }

    /// @notice The current block timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    /// @notice The current block gas limit.
    function getCurrentBlockGasLimit() external view returns (uint256) {
        return block.gaslimit;
    }

    /// @notice The current block's coinbase (fee recipient).
    function getCurrentBlockCoinbase() external view returns (address) {
        return block.coinbase;
    }

    /// @notice The current block's PREVRANDAO value (the difficulty before the merge).
    function getCurrentBlockPrevrandao() external view returns (uint256) {
        return block.prevrandao;
    }

    /// @notice The current block's base fee.
    function getBasefee() external view returns (uint256) {
        return block.basefee;
    }

    /// @notice The chain id.
    function getChainId() external view returns (uint256) {
        return block.chainid;
    }

    /// @notice The ether balance of `account`.
    function getEthBalance(address account) external view returns (uint256) {
        return account.balance;
    }

    // ---------------------------------------------------------------- internals

    function _tryAggregate(bool requireSuccess, Call[] calldata calls) private returns (Result[] memory results) {
        _checkValue(calls);
        results = new Result[](calls.length);
        uint256 refund;
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret, uint256 unspent) = _call(calls[i], i, requireSuccess);
            results[i] = Result(ok, ret);
            refund += unspent;
        }
        if (refund != 0) {
            emit Refunded(msg.sender, refund);
            (bool sent,) = msg.sender.call{value: refund}("");
            if (!sent) revert RefundFailed(msg.sender, refund);
        }
    }

    function _checkValue(Call[] calldata calls) private view {
        uint256 required;
        for (uint256 i = 0; i < calls.length; ++i) {
            required += calls[i].value;
        }
        if (required != msg.value) revert ValueMismatch(msg.value, required);
    }

    /// @dev Performs call `index`; reverts on failure when `strict`. `unspent` is the call's value when it failed.
    function _call(Call calldata c, uint256 index, bool strict)
        private
        returns (bool ok, bytes memory ret, uint256 unspent)
    {
        if (c.callData.length != 0 && c.target.code.length == 0) {
            if (strict) revert NoCode(index, c.target);
            return (false, "", c.value);
        }
        (ok, ret) = c.target.call{value: c.value}(c.callData);
        if (!ok) {
            if (strict) revert CallFailed(index, c.target, ret);
            unspent = c.value;
        }
    }
}
