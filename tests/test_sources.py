"""The source graph: import parsing, solc-exact import resolution, remappings, lookup."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from smartdev.compile.sources import (
    Import,
    apply_remappings,
    collect,
    fingerprint,
    load_remappings,
    parse_source,
    project_sources,
    resolve_import,
    unit_name,
)
from smartdev.errors import NotFoundError, UsageError


def write(base: Path, rel: str, text: str) -> Path:
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    return project


@pytest.fixture
def libdir(tmp_path: Path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    return lib


def c(name: str) -> str:
    return f"contracts/{name}.sol"


def graph_of(root: Path, *entries: str, remappings: list[str] | None = None, library_dir: Path | None = None):
    return collect(
        root, [root / e for e in entries], remappings=remappings or [], library_dir=library_dir or root / "_nolib"
    )


# -- parsing ---------------------------------------------------------------------------
def test_every_import_form_with_positions() -> None:
    text = (
        'import "a.sol";\n'  # 1
        "import 'b.sol';\n"  # 2
        '  import "c.sol" as C;\n'  # 3
        'import * as D from "d.sol";\n'  # 4
        'import {X, Y as Z} from "e.sol";\n'  # 5
        "import {A,\n"  # 6
        "  B as Bee\n"
        "} from\n"
        "  'f.sol';\n"
        'contract K {} import "g.sol";\n'  # 10
    )
    _, imports = parse_source(text)
    assert imports == [
        ("a.sol", 1, 1),
        ("b.sol", 2, 1),
        ("c.sol", 3, 3),
        ("d.sol", 4, 1),
        ("e.sol", 5, 1),
        ("f.sol", 6, 1),
        ("g.sol", 10, 15),
    ]


def test_imports_in_comments_and_strings_are_ignored() -> None:
    text = (
        '// import "line-comment.sol";\n'
        '/* import "block.sol";\n'
        '   import "still-block.sol"; */\n'
        'string constant S = "import \\"in-string.sol\\"; // not a comment";\n'
        "string constant T = 'import \"single.sol\";'; import \"real.sol\";\n"
        "/** doc: pragma solidity 0.4.0; */\n"
        'import /* c */ { A } /* from "fake.sol" */ from // x\n "real2.sol";\n'
    )
    pragmas, imports = parse_source(text)
    assert [(w, line, col) for w, line, col in imports] == [("real.sol", 5, 45), ("real2.sol", 7, 1)]
    assert pragmas == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('import "a.sol";\ncontract C { string s = "x import \\"no.sol\\";"; }', ["a.sol"]),
        ('import "a.sol";\n/* start\n import "no.sol"; */ contract C {}', ["a.sol"]),
        ('import "a.sol";\n/* never closed\n import "no.sol";', ["a.sol"]),
        ('import "a.sol";\ncontract C {}\n// imported later\n', ["a.sol"]),
        ('contract C {}\n\n\nimport "z.sol";', ["z.sol"]),
        ("contract C { uint imported; uint pragmatic; }", []),
    ],
)
def test_late_keywords_in_comments_strings_and_identifiers(text: str, expected: list[str]) -> None:
    assert [written for written, _line, _col in parse_source(text)[1]] == expected


def test_column_counts_characters_not_bytes_and_crlf_lines() -> None:
    text = '// héllo wörld\r\n/* ü */ import "x.sol";\r\n'
    assert parse_source(text)[1] == [("x.sol", 2, 9)]


def test_escaped_import_path_is_decoded() -> None:
    assert parse_source('import "a\\x2fb.sol";')[1] == [("a/b.sol", 1, 1)]


def test_malformed_import_is_located() -> None:
    with pytest.raises(UsageError, match=r"^X.sol:2:1: malformed import"):
        parse_source("pragma solidity ^0.8.0;\nimport ;\n", "X.sol")
    with pytest.raises(UsageError, match=r"X.sol:1:1"):
        parse_source('import "a.sol"', "X.sol")  # no ';' before the end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contract A {}", []),
        ("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n", ["^0.8.0"]),
        ("pragma solidity >=0.6.0 <0.9.0;", [">=0.6.0 <0.9.0"]),
        ("pragma solidity   >=0.6.0\n   <0.9.0 /* why */ ;", [">=0.6.0 <0.9.0"]),
        ("pragma solidity ^0.8.0;\npragma abicoder v2;\npragma solidity <0.8.20;", ["^0.8.0", "<0.8.20"]),
        ("// pragma solidity 0.4.0;\n/* pragma solidity 0.5.0; */\npragma solidity 0.8.1;", ["0.8.1"]),
        ('string constant s = "pragma solidity 0.1.0;";', []),
        ("pragma experimental ABIEncoderV2;", []),
    ],
)
def test_pragmas(text: str, expected: list[str]) -> None:
    assert parse_source(text)[0] == expected


# -- import resolution -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "importer", "unit"),
    [
        ("./B.sol", "contracts/A.sol", "contracts/B.sol"),
        ("../lib/B.sol", "contracts/token/A.sol", "contracts/lib/B.sol"),
        ("./../x/./B.sol", "contracts/token/A.sol", "contracts/x/B.sol"),
        ("./B.sol", "A.sol", "B.sol"),
        ("contracts/lib/X.sol", "contracts/deep/A.sol", "contracts/lib/X.sol"),
        ("@scope/pkg/B.sol", "contracts/A.sol", "@scope/pkg/B.sol"),
        ("../C.sol", "@scope/pkg/a/B.sol", "@scope/pkg/C.sol"),
        ("./.hidden.sol", "contracts/A.sol", "contracts/.hidden.sol"),
    ],
)
def test_resolve_import_without_remappings(written: str, importer: str, unit: str) -> None:
    assert resolve_import(written, importer, []) == unit


@pytest.mark.parametrize(
    ("written", "importer"),
    [("../B.sol", "A.sol"), ("../../B.sol", "contracts/A.sol"), ("./../../../x.sol", "@s/p/B.sol")],
)
def test_relative_import_above_the_top_is_an_error(written: str, importer: str) -> None:
    with pytest.raises(UsageError, match="above the top"):
        resolve_import(written, importer, [])


@pytest.mark.parametrize("written", ["/abs/B.sol", "contracts/../B.sol", "contracts//B.sol", "a\\b.sol", ""])
def test_non_normalised_or_absolute_unit_is_an_error(written: str) -> None:
    with pytest.raises(UsageError):
        resolve_import(written, "contracts/A.sol", [])


def test_remapping_longest_prefix_then_context_then_last() -> None:
    maps = [
        ("", "@oz/", "node_modules/@openzeppelin/"),
        ("", "@oz/contracts/", "lib/oz/contracts/"),
        ("", "@x/", "first/"),
        ("", "@x/", "second/"),
        ("contracts/legacy", "@oz/", "lib/oz-v3/"),
        ("contracts/", "@oz/", "lib/oz-ctx/"),
    ]
    # longest prefix among the context-free ones
    assert apply_remappings("@oz/contracts/T.sol", "src/A.sol", maps) == "lib/oz/contracts/T.sol"
    assert apply_remappings("@oz/utils/U.sol", "src/A.sol", maps) == "node_modules/@openzeppelin/utils/U.sol"
    # equal context and prefix: the later one
    assert apply_remappings("@x/a.sol", "src/A.sol", maps) == "second/a.sol"
    # the longest matching context wins (solc checks context before prefix length)
    assert apply_remappings("@oz/contracts/T.sol", "contracts/legacy/A.sol", maps) == "lib/oz-v3/contracts/T.sol"
    assert apply_remappings("@oz/contracts/T.sol", "contracts/new/A.sol", maps) == "lib/oz-ctx/contracts/T.sol"
    # no match: unchanged
    assert apply_remappings("other/T.sol", "contracts/A.sol", maps) == "other/T.sol"


def test_remappings_apply_after_relative_resolution() -> None:
    assert resolve_import("./B.sol", "contracts/A.sol", ["contracts/=src/"]) == "src/B.sol"
    assert resolve_import("ds-test/T.sol", "contracts/A.sol", ["ds-test/=lib/ds-test/src/"]) == "lib/ds-test/src/T.sol"


# -- remappings.txt --------------------------------------------------------------------
def test_load_remappings_file_then_config_with_config_winning(root: Path) -> None:
    write(
        root,
        "remappings.txt",
        "# comment\n\n@oz/=node_modules/@openzeppelin/\n  forge-std/ = lib/forge-std/src/  \n"
        "ctx:@oz/=lib/a/\n",
    )
    result = load_remappings(root, ["@oz/=lib/openzeppelin/", "other:@oz/=lib/b/"])
    assert result == [
        "forge-std/=lib/forge-std/src/",
        "ctx:@oz/=lib/a/",
        "@oz/=lib/openzeppelin/",
        "other:@oz/=lib/b/",
    ]
    # The list goes to solc as is, and solc's choice is the one we compute:
    assert resolve_import("@oz/T.sol", "contracts/A.sol", result) == "lib/openzeppelin/T.sol"
    assert resolve_import("@oz/T.sol", "ctx/A.sol", result) == "lib/a/T.sol"


def test_load_remappings_without_file(root: Path) -> None:
    assert load_remappings(root, []) == []
    assert load_remappings(root, ["a=b"]) == ["a=b"]


@pytest.mark.parametrize("bad", ["no-equals-sign", "=target/", "ctx:=target/"])
def test_malformed_remapping_line_is_named(root: Path, bad: str) -> None:
    write(root, "remappings.txt", f"ok/=fine/\n\n{bad}\n")
    with pytest.raises(UsageError, match=r"remappings\.txt:3: malformed remapping") as info:
        load_remappings(root, [])
    assert info.value.hint and "prefix=target" in info.value.hint


def test_malformed_config_remapping(root: Path) -> None:
    with pytest.raises(UsageError, match="malformed remapping 'oops'"):
        load_remappings(root, ["a/=b/", "oops"])
    with pytest.raises(UsageError, match="malformed remapping"):
        collect(root, [], remappings=["oops"], library_dir=root)


# -- collecting the graph --------------------------------------------------------------
def test_collect_follows_relative_and_root_imports(root: Path) -> None:
    write(root, "contracts/A.sol", 'pragma solidity ^0.8.0;\nimport "./token/B.sol";\nimport "contracts/lib/X.sol";')
    write(root, "contracts/token/B.sol", 'import "../lib/X.sol";\nimport {Y} from "./Y.sol";')
    write(root, "contracts/token/Y.sol", "pragma solidity >=0.8.2;")
    x = write(root, "contracts/lib/X.sol", "pragma solidity 0.8.20;")
    graph = graph_of(root, "contracts/A.sol")
    assert graph.entries == ["contracts/A.sol"]
    assert set(graph.sources) == {c("A"), c("token/B"), c("token/Y"), c("lib/X")}
    a = graph.sources["contracts/A.sol"]
    assert a.imports == [
        Import("./token/B.sol", "contracts/token/B.sol", 2, 1),
        Import("contracts/lib/X.sol", "contracts/lib/X.sol", 3, 1),
    ]
    assert graph.sources["contracts/token/B.sol"].imports[0].unit == "contracts/lib/X.sol"
    source = graph.sources["contracts/lib/X.sol"]
    assert source.path == x
    assert source.origin == "project"
    assert source.sha256 == hashlib.sha256(x.read_bytes()).hexdigest()
    assert source.content == "pragma solidity 0.8.20;"
    assert source.pragmas == ["0.8.20"]


def test_each_file_is_read_once_and_shared(root: Path) -> None:
    write(root, "contracts/A.sol", 'import "./S.sol";')
    write(root, "contracts/B.sol", 'import "./S.sol";\nimport "./A.sol";')
    write(root, "contracts/S.sol", "")
    graph = graph_of(root, "contracts/A.sol", "contracts/B.sol", "contracts/A.sol")
    assert graph.entries == ["contracts/A.sol", "contracts/B.sol"]
    assert sorted(graph.sources) == ["contracts/A.sol", "contracts/B.sol", "contracts/S.sol"]


def test_remapped_imports_resolve_under_root(root: Path) -> None:
    write(root, "remappings.txt", "forge-std/=lib/forge-std/src/\n@oz/=node_modules/@openzeppelin/\n")
    write(root, "lib/forge-std/src/Test.sol", 'import "./Vm.sol";')
    write(root, "lib/forge-std/src/Vm.sol", "")
    write(root, "node_modules/@openzeppelin/contracts/T.sol", "")
    write(root, "contracts/A.sol", 'import "forge-std/Test.sol";\nimport "@oz/contracts/T.sol";')
    remappings = load_remappings(root, [])
    graph = graph_of(root, "contracts/A.sol", remappings=remappings)
    assert graph.remappings == remappings
    assert [i.unit for i in graph.sources["contracts/A.sol"].imports] == [
        "lib/forge-std/src/Test.sol",
        "node_modules/@openzeppelin/contracts/T.sol",
    ]
    assert "lib/forge-std/src/Vm.sol" in graph.sources
    assert graph.sources["lib/forge-std/src/Test.sol"].origin == "project"
    assert graph.sources["node_modules/@openzeppelin/contracts/T.sol"].origin == "npm"


def test_remapping_context_applies_only_to_matching_importers(root: Path) -> None:
    write(root, "contracts/old/A.sol", 'import "@oz/T.sol";')
    write(root, "contracts/new/B.sol", 'import "@oz/T.sol";')
    write(root, "lib/oz3/T.sol", "pragma solidity ^0.6.0;")
    write(root, "lib/oz4/T.sol", "pragma solidity ^0.8.0;")
    graph = graph_of(
        root, "contracts/old/A.sol", "contracts/new/B.sol", remappings=["@oz/=lib/oz4/", "contracts/old/:@oz/=lib/oz3/"]
    )
    assert graph.sources["contracts/old/A.sol"].imports[0].unit == "lib/oz3/T.sol"
    assert graph.sources["contracts/new/B.sol"].imports[0].unit == "lib/oz4/T.sol"


def test_npm_package_in_a_parent_directory(tmp_path: Path) -> None:
    monorepo = tmp_path / "repo"
    root = monorepo / "packages" / "app"
    write(root, "contracts/A.sol", 'import "@scope/pkg/a/B.sol";')
    b = write(monorepo, "node_modules/@scope/pkg/a/B.sol", 'import "../C.sol";\nimport "./D.sol";')
    write(monorepo, "node_modules/@scope/pkg/C.sol", "pragma solidity ^0.8.4;")
    write(monorepo, "node_modules/@scope/pkg/a/D.sol", "")
    graph = graph_of(root, "contracts/A.sol")
    assert set(graph.sources) == {"contracts/A.sol", "@scope/pkg/a/B.sol", "@scope/pkg/C.sol", "@scope/pkg/a/D.sol"}
    pkg = graph.sources["@scope/pkg/a/B.sol"]
    assert pkg.origin == "npm"
    assert pkg.path == b
    assert [i.unit for i in pkg.imports] == ["@scope/pkg/C.sol", "@scope/pkg/a/D.sol"]


def test_project_file_wins_over_node_modules(root: Path) -> None:
    write(root, "contracts/A.sol", 'import "pkg/X.sol";')
    local = write(root, "pkg/X.sol", "// local")
    write(root, "node_modules/pkg/X.sol", "// npm")
    assert graph_of(root, "contracts/A.sol").sources["pkg/X.sol"].path == local


def test_library_imports_resolve_to_library_dir(root: Path, libdir: Path) -> None:
    write(root, "contracts/A.sol", 'import "@smartdev/token/ERC20.sol";')
    lib = write(libdir, "token/ERC20.sol", 'import "../utils/Math.sol";')
    write(libdir, "utils/Math.sol", "pragma solidity ^0.8.0;")
    write(root, "node_modules/@smartdev/token/ERC20.sol", "// must not be used")
    graph = graph_of(root, "contracts/A.sol", library_dir=libdir)
    source = graph.sources["@smartdev/token/ERC20.sol"]
    assert source.path == lib
    assert source.origin == "library"
    assert graph.sources["@smartdev/utils/Math.sol"].origin == "library"


def test_library_dir_defaults_to_the_bundled_library(root: Path) -> None:
    from smartdev.resources import contract_library_dir

    write(root, "contracts/A.sol", 'import "@smartdev/__no_such_file__.sol";')
    with pytest.raises(NotFoundError) as info:
        collect(root, [root / "contracts/A.sol"], remappings=[])
    assert str(contract_library_dir() / "__no_such_file__.sol") in info.value.message


def test_missing_import_names_location_and_every_searched_path(root: Path) -> None:
    write(root, "contracts/A.sol", '// header\n\n  import {B} from "./B.sol";\nimport "@scope/missing/X.sol";\n')
    with pytest.raises(NotFoundError) as info:
        graph_of(root, "contracts/A.sol")
    message = info.value.message
    assert message.startswith('contracts/A.sol:3:3: import "./B.sol" not found (looked for ')
    expected = [root / "contracts/B.sol"] + [d / "node_modules" / "contracts/B.sol" for d in (root, *root.parents)]
    for path in expected:
        assert str(path) in message
    assert "1 more missing" in message and "@scope/missing/X.sol" in message
    assert "check the path" in (info.value.hint or "").lower()


def test_missing_package_hint_and_remapped_unit(root: Path) -> None:
    write(root, "contracts/A.sol", 'import "@oz/contracts/T.sol";')
    with pytest.raises(NotFoundError) as info:
        graph_of(root, "contracts/A.sol", remappings=["@oz/=node_modules/@openzeppelin/"])
    unit = "node_modules/@openzeppelin/contracts/T.sol"
    assert f'import "@oz/contracts/T.sol" (source unit "{unit}")' in info.value.message
    assert str(root / "node_modules/@openzeppelin/contracts/T.sol") in info.value.message
    assert "remapping" in info.value.hint and "npm install node_modules" not in info.value.hint
    write(root, "contracts/B.sol", 'import "@openzeppelin/contracts/T.sol";')
    with pytest.raises(NotFoundError) as info:
        graph_of(root, "contracts/B.sol")
    assert "npm install @openzeppelin/contracts" in info.value.hint and "remapping" in info.value.hint


def test_escaping_import_is_located(root: Path) -> None:
    write(root, "contracts/A.sol", 'pragma solidity ^0.8.0;\nimport "../../Outside.sol";')
    with pytest.raises(UsageError, match=r"^contracts/A.sol:2:1: import \"../../Outside.sol\" climbs above"):
        graph_of(root, "contracts/A.sol")


def test_unreadable_and_non_utf8_files(root: Path) -> None:
    write(root, "contracts/A.sol", 'import "./Bad.sol";')
    (root / "contracts/Bad.sol").write_bytes(b"// ok\n// \xff\xfe bad\n")
    with pytest.raises(UsageError, match=r"contracts/Bad.sol is not valid UTF-8 \(line 2"):
        graph_of(root, "contracts/A.sol")
    (root / "contracts/Dir.sol").mkdir()
    with pytest.raises(NotFoundError, match="Dir.sol does not exist"):
        graph_of(root, "contracts/Dir.sol")
    with pytest.raises(NotFoundError, match="Nope.sol does not exist"):
        graph_of(root, "contracts/Nope.sol")


def test_entry_outside_root_is_a_usage_error(root: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/X.sol", "")
    with pytest.raises(UsageError, match="outside the project root"):
        collect(root, [outside], remappings=[], library_dir=root)


def test_unit_name(root: Path) -> None:
    assert unit_name(root, root / "contracts" / "token" / "T.sol") == "contracts/token/T.sol"
    assert unit_name(root, Path("contracts/T.sol")) == "contracts/T.sol"  # relative to the root
    assert unit_name(root, root / "contracts" / ".." / "x" / "T.sol") == "x/T.sol"
    link = root.parent / "link"
    link.symlink_to(root)
    assert unit_name(link, root / "a" / "B.sol") == "a/B.sol"
    assert unit_name(root, link / "a" / "B.sol") == "a/B.sol"
    with pytest.raises(UsageError):
        unit_name(root, root.parent / "X.sol")


# -- graph queries ---------------------------------------------------------------------
@pytest.fixture
def diamond(root: Path):
    #   A -> B -> D
    #   A -> C -> D -> E
    #   F (separate) -> E
    write(root, "contracts/A.sol", 'pragma solidity ^0.8.0;\nimport "./B.sol";\nimport "./C.sol";')
    write(root, "contracts/B.sol", 'import "./D.sol";')
    write(root, "contracts/C.sol", 'pragma solidity >=0.8.4;\nimport "./D.sol";')
    write(root, "contracts/D.sol", 'pragma solidity <0.9.0;\npragma solidity >=0.7.0;\nimport "./E.sol";')
    write(root, "contracts/E.sol", "contract E {}")
    write(root, "contracts/F.sol", 'pragma solidity 0.8.20;\nimport "./E.sol";')
    return graph_of(root, "contracts/A.sol", "contracts/F.sol")


def test_closure_is_depth_first_in_import_order(diamond) -> None:
    assert diamond.closure(c("A")) == [c("A"), c("B"), c("D"), c("E"), c("C")]
    assert diamond.closure(c("C")) == [c("C"), c("D"), c("E")]
    assert diamond.closure(c("E")) == [c("E")]
    assert diamond.closure(c("F")) == [c("F"), c("E")]


def test_dependents(diamond) -> None:
    assert diamond.dependents(c("E")) == {c("A"), c("B"), c("C"), c("D"), c("F")}
    assert diamond.dependents(c("D")) == {c("A"), c("B"), c("C")}
    assert diamond.dependents(c("A")) == set()


def test_pragmas_of(diamond) -> None:
    assert diamond.pragmas_of(c("C")) == {c("C"): [">=0.8.4"], c("D"): ["<0.9.0", ">=0.7.0"], c("E"): []}
    assert diamond.pragmas_of(c("F")) == {c("F"): ["0.8.20"], c("E"): []}


def test_unknown_unit_in_queries(diamond) -> None:
    with pytest.raises(NotFoundError):
        diamond.closure("contracts/Nope.sol")
    with pytest.raises(NotFoundError):
        diamond.dependents("contracts/Nope.sol")


def test_cycles_terminate(root: Path) -> None:
    write(root, "contracts/A.sol", 'pragma solidity ^0.8.0;\nimport "./B.sol";')
    write(root, "contracts/B.sol", 'pragma solidity ^0.8.1;\nimport "./A.sol";\nimport "./B.sol";')
    graph = graph_of(root, "contracts/A.sol")
    assert sorted(graph.sources) == ["contracts/A.sol", "contracts/B.sol"]
    assert graph.closure("contracts/A.sol") == ["contracts/A.sol", "contracts/B.sol"]
    assert graph.closure("contracts/B.sol") == ["contracts/B.sol", "contracts/A.sol"]
    assert graph.dependents("contracts/A.sol") == {"contracts/B.sol"}
    assert graph.dependents("contracts/B.sol") == {"contracts/A.sol"}
    assert graph.pragmas_of("contracts/B.sol") == {"contracts/B.sol": ["^0.8.1"], "contracts/A.sol": ["^0.8.0"]}


# -- project files and fingerprints ----------------------------------------------------
def test_project_sources_skips_node_modules_and_hidden(root: Path) -> None:
    for rel in [
        "contracts/b/Z.sol",
        "contracts/A.sol",
        "contracts/b/A.sol",
        "contracts/node_modules/pkg/N.sol",
        "contracts/.git/H.sol",
        "contracts/._A.sol",
        "contracts/readme.md",
        "other/O.sol",
    ]:
        write(root, rel, "")
    assert project_sources(root, Path("contracts")) == [
        root / "contracts/A.sol",
        root / "contracts/b/A.sol",
        root / "contracts/b/Z.sol",
    ]
    assert project_sources(root, root / "contracts" / "b") == [root / "contracts/b/A.sol", root / "contracts/b/Z.sol"]
    assert project_sources(root, Path("missing")) == []


def test_fingerprint_changes_when_a_file_is_edited(root: Path) -> None:
    a = write(root, "contracts/A.sol", "contract A {}")
    b = write(root, "contracts/B.sol", "contract B {}")
    before = fingerprint([a, b, root / "gone.sol"])
    assert set(before) == {str(a), str(b)}
    assert before[str(a)][1] == len("contract A {}")
    assert fingerprint([a, b]) == before
    a.write_text("contract A { uint x; }")
    after = fingerprint([a, b])
    assert after[str(a)] != before[str(a)]
    assert after[str(b)] == before[str(b)]
    # same size, new mtime: still a change
    st = os.stat(b)
    b.write_text("contract C {}")
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert fingerprint([b])[str(b)] != after[str(b)]
