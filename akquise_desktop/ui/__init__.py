"""Qt widgets. No ORM session in here: all database work goes through the
:class:`~akquise_desktop.ui.worker.DbWorker` and the controller."""
