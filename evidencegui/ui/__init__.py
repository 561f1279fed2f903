"""Every Qt and pyqtgraph import lives in this package."""
