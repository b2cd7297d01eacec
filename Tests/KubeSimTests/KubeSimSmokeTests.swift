import Testing
@testable import KubeSim
