"""graph/nodes"""
