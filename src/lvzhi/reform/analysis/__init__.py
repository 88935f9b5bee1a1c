"""Computations of the reform module, kept apart from the pages: process analysis and swimlane
layout, 编制 efficiency and the compliance rules."""
