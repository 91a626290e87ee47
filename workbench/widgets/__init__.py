"""ipywidgets front ends: thin faces over plain functions of the stations."""
