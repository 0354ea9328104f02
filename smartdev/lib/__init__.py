"""``smartdev lib``: the tested Solidity contract library — list, show, add — and its manifest."""
