"""Co-participation networks: who shares which organizations, declarations and events."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from lowcarbon.export.network import bipartite_graph, city_graph, network_files, shared_targets
from lowcarbon.pipeline import Pipeline


@pytest.fixture(scope="module")
def bip(pipe: Pipeline) -> nx.Graph:
    return bipartite_graph(pipe.linked, pipe.catalog)


def test_pairs_read_off_the_source(bip: nx.Graph) -> None:
    pairs = shared_targets(bip)
    # 臺北市 and 高雄市: both ICLEI members, both signed the Mexico City Pact, both at COP14
    # and COP15 and the ICLEI local government sessions, both at the ICLEI 20th-anniversary
    # congress, both in CDP's city disclosure.
    assert pairs[("kaohsiung", "taipei")] == [
        "cdp-cities",
        "cop14",
        "cop15",
        "iclei",
        "iclei-incheon-congress-2010",
        "iclei-local-government-climate-sessions",
        "mexico-city-pact",
    ]
    # 臺北市 and 台南市 both signed the Urban Environmental Accords (94年6月5日) and joined ICLEI.
    assert pairs[("tainan", "taipei")] == ["iclei", "urban-environmental-accords"]
    # 台中市 shares only UCLG (with 臺北市 and 新北市): its ICLEI membership is only planned.
    assert {k: v for k, v in pairs.items() if "taichung" in k} == {
        ("new-taipei", "taichung"): ["uclg"],
        ("taichung", "taipei"): ["uclg"],
    }


def test_only_done_statements_count(bip: nx.Graph) -> None:
    assert not bip.has_edge("tainan", "cop17")  # 12月將由市長率隊參加南非COP17會議: a plan
    assert not bip.has_edge("taichung", "iclei")  # ICLEI 100年台中市會申請加入: a plan
    assert bip.has_edge("taoyuan", "iclei")  # applied in January, admitted in March 2011


def test_city_graph_weights_and_files_deterministic(pipe: Pipeline, bip: nx.Graph) -> None:
    g = city_graph(bip)
    assert sorted(g.nodes) == sorted(e.id for e in pipe.catalog.by_kind("city"))
    assert g.edges["kaohsiung", "taipei"]["weight"] == 7
    files = network_files(pipe.linked, pipe.catalog)
    assert files == network_files(pipe.linked, pipe.catalog)
    back = nx.read_graphml(io.BytesIO(files["network/cities.graphml"]))
    assert sorted(back.edges(data="weight")) == sorted(g.edges(data="weight"))
    metrics = files["network/city-metrics.csv"].decode().splitlines()
    assert metrics[0] == "city,degree,weighted_degree,betweenness,closeness"
    assert "taipei,9,18," in files["network/city-metrics.csv"].decode()
