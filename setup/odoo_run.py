#!/usr/bin/env python3
"""Run the Odoo command line of the Odoo 19 installed in this Python.

Used instead of ``python3 -m odoo`` because a prefork server re-executes
``sys.argv`` for its gevent worker, which needs a real script path.
"""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
