"""Qt widgets and item models. The only package (with app.py) that imports Qt."""
