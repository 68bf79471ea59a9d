"""What the package brings besides code: its templates folder and the fonts it embeds."""
