// SPDX-License-Identifier: {{ cookiecutter.license if cookiecutter.license != "Proprietary" else "UNLICENSED" }}
pragma solidity ^0.8.20;

import "@smartdev/tokens/ERC20.sol";

/// @title {{ cookiecutter.token_name }} ({{ cookiecutter.token_symbol }})
/// @notice An ERC-20 token capped at {{ cookiecutter.cap }} whole tokens. `admin` may mint, pause
///         and grant roles (MINTER_ROLE, PAUSER_ROLE, BURNER_ROLE); everything else is
///         smartdev's tested FungibleToken (`smartdev lib show FungibleToken`).
contract Token is FungibleToken {
    constructor(address admin)
        FungibleToken("{{ cookiecutter.token_name }}", "{{ cookiecutter.token_symbol }}", {{ cookiecutter.decimals }}, {{ cookiecutter.cap }} * 10 ** {{ cookiecutter.decimals }}, admin)
    {}
}
