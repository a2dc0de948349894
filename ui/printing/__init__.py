"""Printing (印刷): certificates and the 手続き案内票 drawn as PDF from app/ layouts, and the print
button that sends them to a printer. Drawing runs off the GUI thread."""
