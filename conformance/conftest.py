"""Where the suite is collected, its fixtures and hooks (:mod:`h1conform.suite`) are registered."""


def pytest_configure(config):
    config.pluginmanager.import_plugin("h1conform.suite")
