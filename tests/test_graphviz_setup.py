import graphviz

from workbench import graphviz_setup


def _svg() -> str:
    graph = graphviz.Digraph()
    graph.edge("orders", "customers")
    return graph.pipe(format="svg").decode()


def test_pure_renderer_draws_without_system_dot():
    try:
        binary = graphviz_setup.configure(prefer_system=False)
        assert binary.name == "graphviz-pure"
        assert "<svg" in _svg()
    finally:
        graphviz_setup.configure()


def test_default_renderer_draws():
    graphviz_setup.configure()
    assert "orders" in _svg()
